// The byte writers of the print path against independent oracles: BigInt's and Number's own digits, and python3's
// '%0.3f' and repr(bytes) (spec §5.4).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pyReprBound, WRITE_SLACK, writeDecimal, writeDelta, writeHex32, writeHex64, writePyRepr } from './text-bytes.js';

/** A small deterministic generator (xorshift32), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function python(script: string, input: string): string[] {
  return execFileSync('python3', ['-c', script], { input, maxBuffer: 64 * 1024 * 1024 }).toString('latin1').split('\n').slice(0, -1);
}

const GUARD = 0xa5;

/**
 * Runs a writer at an odd position of a buffer filled with a guard byte and returns its text; fails when it
 * wrote before its position or more than WRITE_SLACK bytes past the end it returned.
 */
function written(write: (dst: DataView, o: number) => number): string {
  const bytes = new Uint8Array(2200).fill(GUARD);
  const start = 13;
  const end = write(new DataView(bytes.buffer), start);
  expect(bytes[start - 1]).toBe(GUARD);
  expect(bytes.subarray(end + WRITE_SLACK).every((b) => b === GUARD)).toBe(true);
  return Buffer.from(bytes.subarray(start, end)).toString('latin1');
}

const split = (v: bigint): [number, number] => [Number(v & 0xffffffffn), Number(v >> 32n)];

describe('writeHex32 and writeHex64', () => {
  it("write '%x' of edge values: no leading zeros, 0 as 0, every length from 1 to 16 digits", () => {
    const values = [0n, 1n, 9n, 10n, 15n, 16n, 0xabcdefn, 0xffffffffn, 0x100000000n, 0x55d925bd9490n, 2n ** 63n, 2n ** 64n - 1n];
    for (let d = 1n; d <= 16n; d++) values.push(16n ** (d - 1n), 16n ** d - 1n);
    for (const v of values) {
      const [lo, hi] = split(v);
      expect(written((dst, o) => writeHex64(dst, o, lo, hi)), `0x${v.toString(16)}`).toBe(v.toString(16));
    }
    expect(written((dst, o) => writeHex32(dst, o, 0xdeadbeef))).toBe('deadbeef');
  });

  it('write the digits of 20,000 random u64 of every bit length', () => {
    const next = rng(0x4e7);
    for (let n = 0; n < 20000; n++) {
      const v = ((BigInt(next()) << 32n) | BigInt(next())) >> BigInt(n % 64);
      const [lo, hi] = split(v);
      const text = written((dst, o) => writeHex64(dst, o, lo, hi));
      if (text !== v.toString(16)) expect(text, `value 0x${v.toString(16)}`).toBe(v.toString(16));
    }
  });
});

describe('writeDecimal', () => {
  it('writes the digits of edge and random whole numbers up to 2^53', () => {
    const values = [0, 1, 9, 10, 99, 100, 4242, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 99999999, 100000000, 2 ** 53 - 1];
    for (let p = 1; p < 1e16; p *= 10) values.push(p, p - 1);
    const next = rng(0xdec);
    for (let n = 0; n < 5000; n++) values.push(Math.floor(((next() >>> 11) * 2 ** 32 + next()) / 2 ** (n % 53)));
    for (const v of values) {
      const text = written((dst, o) => writeDecimal(dst, o, v));
      if (text !== String(v)) expect(text, `value ${v}`).toBe(String(v));
    }
  });
});

describe("writeDelta matches f'{delta_ns / 1000:0.3f}'", () => {
  function check(pairs: readonly (readonly [bigint, bigint])[]): void {
    const want = python("import sys\nfor l in sys.stdin:\n  p, c = map(int, l.split())\n  print(f'{(c - p) / 1000:0.3f}')", pairs.map(([p, c]) => `${p} ${c}`).join('\n') + '\n');
    const got = pairs.map(([p, c]) => {
      const [cl, ch] = split(c);
      const [pl, ph] = split(p);
      return written((dst, o) => writeDelta(dst, o, cl, ch, pl, ph));
    });
    const bad = got.map((g, i) => [pairs[i][0].toString(), pairs[i][1].toString(), g, want[i]]).filter(([, , g, w]) => g !== w);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(got).toHaveLength(want.length);
  }

  it('on small, backward and carry-crossing deltas', () => {
    const pairs: [bigint, bigint][] = [
      [1000000n, 1000000n],
      [1000000n, 1001500n],
      [5n, 4n],
      [0n, 999n],
      [999n, 0n],
      [0n, 1000n],
      [0xffffffffn, 0x100000000n], // the low word wraps
      [0x100000000n, 0xffffffffn],
      [0n, 2n ** 32n * 1000n + 7n],
    ];
    check(pairs);
  });

  it('on both sides of the integer path limit (2^43 µs) and beyond, forwards and backwards', () => {
    const limit = 2n ** 43n * 1000n;
    const pairs: [bigint, bigint][] = [];
    for (const d of [limit - 1001n, limit - 1n, limit, limit + 1n, limit + 500n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      pairs.push([0n, d], [d, 0n], [7n, d + 7n > 2n ** 64n - 1n ? d : d + 7n]);
    }
    check(pairs);
  });

  it('on random pairs over every magnitude up to 2^64', () => {
    const next = rng(0xd1f);
    const pairs: [bigint, bigint][] = [];
    for (let n = 0; n < 4000; n++) {
      const p = (BigInt(next()) << 32n) | BigInt(next());
      const d = ((BigInt(next()) << 32n) | BigInt(next())) >> BigInt(n % 64);
      pairs.push(n % 5 === 0 ? [p, (p - d + 2n ** 64n) % 2n ** 64n] : [p, (p + d) % 2n ** 64n]);
    }
    check(pairs);
  });
});

describe('writePyRepr matches CPython repr(bytes)', () => {
  it('on edge cases and 3000 random byte strings, within its bound', () => {
    const cases = ['', "'", '"', `'"`, `it's`, `say "hi"`, '\\', '\t\n\r', '\x00\x1f\x7f\x80\xff', 'signature'].map((c) => Uint8Array.from(c, (ch) => ch.charCodeAt(0)));
    const next = rng(0x9e9);
    for (let n = 0; n < 3000; n++) {
      const b = new Uint8Array(next() % 40);
      for (let i = 0; i < b.length; i++) b[i] = n % 2 === 0 ? next() & 0xff : [0x27, 0x22, 0x5c, 0x41, 0x0a][next() % 5];
      cases.push(b);
    }
    // The longest string a record holds, every byte escaped.
    cases.push(new Uint8Array(512).fill(0x80));
    const want = python('import sys\nfor l in sys.stdin: print(repr(bytes.fromhex(l.strip())))', cases.map((b) => Buffer.from(b).toString('hex')).join('\n') + '\n');
    const got = cases.map((b) => {
      // Inside a larger buffer, as a payload string is.
      const src = new Uint8Array(b.length + 6).fill(0x27);
      src.set(b, 3);
      const text = written((dst, o) => writePyRepr(dst, o, src, 3, 3 + b.length));
      expect(text.length).toBeLessThanOrEqual(pyReprBound(b.length));
      return text;
    });
    const bad = got.map((g, i) => [g, want[i]]).filter(([g, w]) => g !== w);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(got.at(-1)).toHaveLength(pyReprBound(512));
  });
});
