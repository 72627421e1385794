// Decimal and hex digits against BigInt's own formatting.
import { describe, expect, it } from 'vitest';
import { putHex32, putHexBytes, putPointer, putU64, putUint } from './digits.js';

const ascii = new TextDecoder();
const out = new Uint8Array(64);
const text = (end: number, start = 0): string => ascii.decode(out.subarray(start, end));
const words = (v: bigint): [number, number] => [Number(v >> 32n), Number(v & 0xffff_ffffn)];

// A deterministic stream of u64 values spread over every magnitude (xorshift; BigInt's toString is the oracle).
function* u64s(count: number): Generator<bigint> {
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < count; i++) {
    x ^= (x << 13n) & 0xffff_ffff_ffff_ffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffff_ffff_ffff_ffffn;
    yield x >> BigInt(i % 64);
  }
}

const EDGES = [0n, 1n, 9n, 10n, 99n, 100n, 9999n, 10000n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 10n ** 16n, 10n ** 19n, 2n ** 63n, 2n ** 64n - 1n];

describe('putUint', () => {
  it('writes safe integers like String()', () => {
    for (const v of [0, 7, 10, 123, 99999999, 1e8, 1e8 + 1, 123456789012, 4294967295, 4294967296, 1e15, Number.MAX_SAFE_INTEGER]) {
      expect(text(putUint(out, 3, v), 3)).toBe(String(v));
    }
  });
});

describe('putUint at every digit count', () => {
  it('writes 10^k - 1, 10^k and 10^k + 1 (k = 0..15) and values with inner zeros like String()', () => {
    const values: number[] = [];
    for (let k = 0; k <= 15; k++) values.push(10 ** k - 1, 10 ** k, 10 ** k + 1);
    values.push(100000001, 1000000010, 101010101010101, 909090909090909, 1234567890123456);
    for (const v of values) expect(text(putUint(out, 5, v), 5), String(v)).toBe(String(v));
  });
});

describe('putU64', () => {
  it('writes every u64 exactly (BigInt as the oracle), at the 2^53 boundary and at 10^4 group edges', () => {
    for (const v of [...EDGES, ...u64s(2000), 10n ** 12n * 65536n + 9999n, 100000000n * 2n ** 32n]) {
      const [hi, lo] = words(v);
      expect(text(putU64(out, 1, hi, lo), 1), `u64 ${v}`).toBe(v.toString());
    }
  });

  it('keeps the inner zeros of 4-digit groups (10000000000000000001)', () => {
    const v = 10n ** 19n + 1n;
    const [hi, lo] = words(v);
    expect(text(putU64(out, 0, hi, lo))).toBe('10000000000000000001');
  });
});

describe('hex', () => {
  it('putHex32 writes lowercase hex without leading zeros', () => {
    for (const v of [0, 1, 0xf, 0x10, 0xdeadbeef, 0xffffffff, 0x80000000]) expect(text(putHex32(out, 0, v))).toBe(v.toString(16));
  });

  it('putPointer writes 0x plus the value, 0x0 for NULL, zero-padding the low word under a high word', () => {
    for (const v of [...EDGES, ...u64s(500), 0x1_0000_0001n, 0xabc_0000_0000n]) {
      const [hi, lo] = words(v);
      expect(text(putPointer(out, 0, hi, lo)), `pointer ${v}`).toBe(`0x${v.toString(16)}`);
    }
  });

  it('putHexBytes writes two lowercase digits per byte', () => {
    const src = Uint8Array.of(0x00, 0x0f, 0xa0, 0xff);
    expect(text(putHexBytes(out, 0, src, 0, 4))).toBe('000fa0ff');
    expect(text(putHexBytes(out, 0, src, 1, 3))).toBe('0fa0');
  });
});
