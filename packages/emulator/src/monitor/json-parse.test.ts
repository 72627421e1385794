// QEMU's JSON dialect: single quotes, exact 64-bit integers, strict strings, and its parse-error reasons.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from './json-parse.js';
import type { JsonValue } from './json-value.js';

const parse = (text: string | Uint8Array): ReturnType<typeof parseJson> =>
  parseJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
const value = (text: string): JsonValue => {
  const outcome = parse(text);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
};
const reason = (text: string | Uint8Array): string | undefined => {
  const outcome = parse(text);
  return outcome.ok ? undefined : outcome.error;
};

describe('parseJson: numbers', () => {
  it('keeps integers within int64 and uint64 exactly, as bigint', () => {
    expect(value('9223372036854775807')).toBe(9223372036854775807n);
    expect(value('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(value('18446744073709551615')).toBe(18446744073709551615n);
  });

  it('turns integers beyond both ranges, and every fraction or exponent, into doubles', () => {
    expect(value('18446744073709551616')).toBe(18446744073709551616);
    expect(value('-9223372036854775809')).toBe(Number('-9223372036854775809'));
    expect(value('1.0')).toBe(1);
    expect(typeof value('1.0')).toBe('number');
    expect(value('-2.5e3')).toBe(-2500);
  });
});

describe('parseJson: strings', () => {
  it('accepts single quotes and the \\\' escape, and every JSON escape', () => {
    expect(value(`'it\\'s "x"'`)).toBe(`it's "x"`);
    expect(value('"\\"\\\\\\/\\b\\f\\n\\r\\t"')).toBe('"\\/\b\f\n\r\t');
    expect(value('"\\u00e9\\ud83d\\ude00"')).toBe('é😀');
    expect(value('"é"')).toBe('é');
  });

  it('rejects lone surrogates, bad escapes and bad UTF-8 with QEMU reasons', () => {
    expect(reason('"\\ud800"')).toBe('\\ud800 is not a valid Unicode character');
    expect(reason('"\\ud800\\u0041"')).toBe('\\ud800 is not a valid Unicode character');
    expect(reason('"\\udc00"')).toBe('\\udc00 is not a valid Unicode character');
    expect(reason('"\\x41"')).toBe('invalid escape sequence in string');
    expect(reason(Uint8Array.from([0x22, 0xc3, 0x28, 0x22]))).toBe('invalid UTF-8 sequence in string');
    expect(reason(Uint8Array.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBe('invalid UTF-8 sequence in string');
  });
});

describe('parseJson: structure', () => {
  it('builds prototype-free objects where __proto__ is an ordinary key', () => {
    const parsed = value('{"__proto__": 1, "a": [ ]}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(null);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
  });

  it('names what it expected', () => {
    expect(reason('{"a" 1}')).toBe("expecting ':'");
    expect(reason('{1: 2}')).toBe('expecting key');
    expect(reason('{"a": 1 "b": 2}')).toBe("expected ',' or '}'");
    expect(reason('[1 2]')).toBe("expected ',' or ']'");
    expect(reason('[1,]')).toBe('expecting value');
    expect(reason('{"a": 1, "a": 2}')).toBe('duplicate key');
    expect(reason('nul')).toBe("invalid keyword 'nul'");
  });

  it('reads what JSON.stringify writes as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const text = JSON.stringify(input);
        // Lone surrogates are valid JSON but not valid Unicode; QEMU refuses them (tested above).
        fc.pre(!/\\ud[89a-f]/i.test(text));
        const outcome = parse(text);
        expect(outcome.ok).toBe(true);
        const normalised = JSON.stringify(outcome.ok ? outcome.value : null, (_k, v: unknown) =>
          typeof v === 'bigint' ? Number(v) : v,
        );
        expect(JSON.parse(normalised)).toEqual(JSON.parse(text));
      }),
    );
  });
});
