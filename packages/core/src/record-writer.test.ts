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

describe('BatchWriter records', () => {
  /** The u64 stored at `o`, read back as two halves (no BigInt on the writer's side, so the check is independent). */
  const u64 = (w: BatchWriter, o: number): bigint => w.view.getBigUint64(o, true);

  it('stores a signed 32-bit argument sign-extended to 64 bits, as C promotes int to int64_t', () => {
    const w = new BatchWriter();
    const cases: Array<[number, bigint]> = [
      [0, 0n],
      [1, 1n],
      [-1, 0xffff_ffff_ffff_ffffn],
      [-0, 0n],
      [2 ** 31 - 1, 0x7fff_ffffn],
      [-(2 ** 31), 0xffff_ffff_8000_0000n],
      [2 ** 31, 0xffff_ffff_8000_0000n], // ToInt32 wraps, as `(int)` of an unsigned value does
      [4.9, 4n],
      [Number.NaN, 0n],
    ];
    for (const [value, want] of cases) {
      expect(w.putInt(0, value)).toBe(8);
      expect(u64(w, 0), String(value)).toBe(want);
    }
  });

  it('stores a number argument modulo 2^64, negative values sign-extended', () => {
    const w = new BatchWriter();
    const cases: Array<[number, bigint]> = [
      [2 ** 53 - 1, 0x1f_ffff_ffff_ffffn],
      [2 ** 32, 0x1_0000_0000n],
      [2 ** 32 - 1, 0xffff_ffffn],
      [-(2 ** 32), 0xffff_ffff_0000_0000n],
      [-5, 0xffff_ffff_ffff_fffbn],
    ];
    for (const [value, want] of cases) {
      w.putNumber(0, value);
      expect(u64(w, 0), String(value)).toBe(want);
    }
  });

  it('stamps the timestamp as a u64 of nanoseconds', () => {
    const w = new BatchWriter();
    const t = 2 ** 52 + 12345; // past 2^32: the high half matters
    w.begin(0, 7, 0, t, 1, 0, -1);
    expect(u64(w, 16)).toBe(BigInt(t));
  });

  it('shows the guest clock column only for batches with guest records, -1 for the host records among them', () => {
    const w = new BatchWriter();
    w.begin(0, 0, 0, 10, 1, 0, -1);
    expect(w.guestClock).toBeUndefined();
    w.begin(1, 1, 0, 20, 1, 0, 555);
    w.begin(0, 0, 0, 30, 1, 0, -1);
    expect([...w.guestClock!.subarray(0, w.count)]).toEqual([-1, 555, -1]);
    w.reset();
    // The next batch reuses the slots: host records must not inherit the guest clock stored there before.
    w.begin(0, 0, 0, 40, 1, 0, -1);
    w.begin(0, 0, 0, 50, 1, 0, -1);
    expect(w.guestClock).toBeUndefined();
    w.begin(1, 1, 0, 60, 1, 0, 7);
    expect([...w.guestClock!.subarray(0, w.count)]).toEqual([-1, -1, 7]);
  });

  it('keeps a negative guest clock other than -1 without showing the column, as before', () => {
    const w = new BatchWriter();
    w.begin(1, 1, 0, 10, 1, 0, -2);
    expect(w.guestClock).toBeUndefined();
    w.begin(1, 1, 0, 20, 1, 0, 3);
    expect([...w.guestClock!.subarray(0, w.count)]).toEqual([-2, 3]);
    w.reset();
    w.begin(0, 0, 0, 30, 1, 0, -1);
    w.begin(1, 1, 0, 40, 1, 0, 9);
    expect([...w.guestClock!.subarray(0, w.count)]).toEqual([-1, 9]);
  });
});
