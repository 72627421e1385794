// QEMU's QMP framing: texts end when their brackets balance, lexical errors resynchronise, and input stays bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStream, type StreamItem } from './json-stream.js';

function drain(stream: JsonStream): StreamItem[] {
  const items: StreamItem[] = [];
  for (let item = stream.next(); item; item = stream.next()) items.push(item);
  return items;
}

function feed(input: string | Uint8Array, options?: ConstructorParameters<typeof JsonStream>[0]): StreamItem[] {
  const stream = new JsonStream(options);
  stream.push(typeof input === 'string' ? Buffer.from(input, 'latin1') : input);
  return drain(stream);
}

const err = (desc: string): StreamItem => ({ kind: 'error', desc });
const val = (value: unknown): StreamItem => ({ kind: 'value', value: value as never });
const obj = (entries: Record<string, unknown>): unknown => Object.assign(Object.create(null), entries);

describe('JsonStream: where a text ends', () => {
  it('splits back-to-back objects without any separator', () => {
    expect(feed('{"a": 1}{"b": [true, null]}')).toEqual([val(obj({ a: 1n })), val(obj({ b: [true, null] }))]);
  });

  it('ends a bare scalar at its own end, and a number only at the byte after it', () => {
    expect(feed('"x" 1 2')).toEqual([val('x'), val(1n)]);
    const stream = new JsonStream();
    stream.push(Buffer.from('42'));
    expect(drain(stream)).toEqual([]);
    stream.end();
    expect(drain(stream)).toEqual([val(42n)]);
  });

  it('keeps an unterminated object waiting across newlines, and drops it at end of input', () => {
    const stream = new JsonStream();
    stream.push(Buffer.from('{"execute":\n\n'));
    expect(drain(stream)).toEqual([]);
    stream.end();
    expect(drain(stream)).toEqual([]);
  });

  it('answers a stray closer on its own, as the bracket count goes negative', () => {
    expect(feed('}')).toEqual([err('JSON parse error, expecting value')]);
    // `]` closes the text early (bracket count -1): one error; then `}` alone is a second text.
    expect(feed('{"a": ]}')).toEqual([err('JSON parse error, expecting value'), err('JSON parse error, expecting value')]);
  });

  it('gives the same items whatever the chunk boundaries', () => {
    const text = Buffer.from(`{"execute": "x", "arguments": {"n": -12.5e3, 's': 'it''}}  7 "q" @ [1, {}]`, 'latin1');
    const whole = feed(text);
    fc.assert(
      fc.property(fc.array(fc.nat(text.length), { maxLength: 8 }), (cuts) => {
        const stream = new JsonStream();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          stream.push(text.subarray(from, cut));
          from = Math.max(from, cut);
        }
        stream.push(text.subarray(from));
        expect(drain(stream)).toEqual(whole);
      }),
    );
  });
});

describe('JsonStream: lexical errors and recovery', () => {
  it('quotes the offending token and resumes at the next structural character', () => {
    expect(feed('@abc{"a": 1}')).toEqual([err("JSON parse error, stray '@'"), val(obj({ a: 1n }))]);
  });

  it('drops the text in progress on a lexical error', () => {
    expect(feed('{"a": #}{"b": 2}')).toEqual([err("JSON parse error, stray '#'"), err('JSON parse error, expecting value'), val(obj({ b: 2n }))]);
  });

  it('treats a control character inside a string as an error, so \\x01\\n always resynchronises', () => {
    expect(feed('{"a": "ab\x01\n{"b": 1}')).toEqual([err('JSON parse error, stray \'"ab\x01\''), val(obj({ b: 1n }))]);
    expect(feed('\x01\n{}')).toEqual([err("JSON parse error, stray '\x01'"), val(obj({}))]);
  });

  it('restarts at 0xFF, which is itself an error (QMP spec: the byte for old servers)', () => {
    expect(feed(Uint8Array.from([0x40, 0x61, 0xff, 0x7b, 0x7d]))).toEqual([
      err("JSON parse error, stray '@'"),
      err("JSON parse error, stray '\ufffd'"),
      val(obj({})),
    ]);
  });

  it('rejects a leading zero followed by a digit, upper-case words and bare signs', () => {
    expect(feed('01 ')).toEqual([err("JSON parse error, stray '01'")]);
    expect(feed('True ')).toEqual([err("JSON parse error, stray 'T'")]);
    expect(feed('-x')).toEqual([err("JSON parse error, stray '-x'")]);
  });
});

describe('JsonStream: bounds', () => {
  it('answers an oversized text once, keeps none of it, and parses the next text', () => {
    const stream = new JsonStream({ maxMessageBytes: 100 });
    stream.push(Buffer.from(`{"a": "${'x'.repeat(1000)}"}`));
    expect(drain(stream)).toEqual([err('JSON token size limit exceeded')]);
    expect(stream.bufferedBytes).toBe(0);
    stream.push(Buffer.from('{"ok": true}'));
    expect(drain(stream)).toEqual([val(obj({ ok: true }))]);
    expect(feed(`{"a": "${'x'.repeat(1000)}", "b": [1, 2]} {"ok": true}`, { maxMessageBytes: 100 })).toEqual([
      err('JSON token size limit exceeded'),
      val(obj({ ok: true })),
    ]);
  });

  it('never keeps more than the bound while an oversized string goes on', () => {
    const stream = new JsonStream({ maxMessageBytes: 64 });
    stream.push(Buffer.from('"'));
    for (let i = 0; i < 100; i++) {
      stream.push(Buffer.alloc(1000, 0x61));
      drain(stream);
      expect(stream.bufferedBytes).toBeLessThanOrEqual(64);
    }
  });

  it('allows 1024 levels of nesting and refuses 1025 once', () => {
    expect(feed(`${'['.repeat(1024)}${']'.repeat(1024)}`)).toHaveLength(1);
    expect(feed(`${'['.repeat(1025)}${']'.repeat(1025)}{}`)).toEqual([err('JSON nesting depth limit exceeded'), val(obj({}))]);
  });
});
