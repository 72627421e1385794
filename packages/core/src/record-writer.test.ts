import { describe, expect, it } from 'vitest';
import { MAX_TRACE_STRLEN } from './record.js';
import { BatchWriter, stringBytes } from './record-writer.js';

// The oracle is the platform's UTF-8 encoder, cut at QEMU's MAX_TRACE_STRLEN as the record format stores strings.
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s).subarray(0, MAX_TRACE_STRLEN);

/** Writes `values` one after another with putString and returns each stored [length, bytes]. */
function store(w: BatchWriter, values: ReadonlyArray<string | null>): Array<[number, number[]]> {
  let o = 0;
  const at: number[] = [];
  for (const v of values) {
    at.push(o);
    o = w.putString(o, v, stringBytes(v));
  }
  return at.map((start) => {
    const n = w.view.getUint32(start, true);
    return [n, [...w.bytes.subarray(start + 4, start + 4 + n)]];
  });
}

describe('stringBytes', () => {
  it('is the UTF-8 length, capped at MAX_TRACE_STRLEN, and 0 for null', () => {
    for (const s of ['', 'virtio-net', 'café', '€uro', 'a😀b', 'x'.repeat(600), 'é'.repeat(300)]) {
      expect(stringBytes(s), s.slice(0, 12)).toBe(utf8(s).length);
    }
    expect(stringBytes(null)).toBe(0);
    expect(stringBytes(undefined)).toBe(0);
  });

  it('answers each string, not the one measured before it', () => {
    const seq = ['é', 'e', 'é', 'é', 'ab', 'é€', 'é€', ''];
    expect(seq.map((s) => stringBytes(s))).toEqual(seq.map((s) => utf8(s).length));
  });
});

describe('BatchWriter.putString', () => {
  it('stores each string as its UTF-8 bytes, repeated, alternating and same-length strings included', () => {
    const seq = ['virtio-net', 'virtio-net', 'virtio-blk', 'virtio-net', 'café-€', 'café-€', 'virtio-blk', 'a😀', 'a😀', 'x'.repeat(700), 'x'.repeat(700)];
    expect(store(new BatchWriter(), seq)).toEqual(seq.map((s) => [utf8(s).length, [...utf8(s)]]));
  });

  it('treats equal text in distinct string objects alike, and null as length 0', () => {
    const name = (suffix: string): string => ['virtio', suffix].join('-');
    const stored = store(new BatchWriter(), [name('net'), null, name('net'), name('nex')]);
    expect(stored).toEqual([
      [10, [...utf8('virtio-net')]],
      [0, []],
      [10, [...utf8('virtio-net')]],
      [10, [...utf8('virtio-nex')]],
    ]);
  });

  it('keeps one cache per writer', () => {
    const a = new BatchWriter();
    const b = new BatchWriter();
    store(a, ['abc']);
    store(b, ['xyz']);
    expect(store(a, ['xyz', 'abc'])).toEqual([
      [3, [...utf8('xyz')]],
      [3, [...utf8('abc')]],
    ]);
  });
});
