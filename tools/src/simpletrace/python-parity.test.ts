// pyBytesRepr and deltaText against python3 itself, on random and edge inputs (spec §5.4).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deltaText, divideToDouble, formatFixed3 } from './delta.js';
import { pyBytesRepr } from './py-repr.js';

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

describe('pyBytesRepr matches CPython repr(bytes)', () => {
  it('on edge cases', () => {
    const cases = ['', "'", '"', `'"`, `it's`, `say "hi"`, `both ' and "`, '\\', '\t\n\r', '\x00\x1f\x7f\x80\xff', 'signature'];
    const bytes = cases.map((c) => Uint8Array.from(c, (ch) => ch.charCodeAt(0)));
    const want = python('import sys\nfor l in sys.stdin: print(repr(bytes.fromhex(l.strip())))', bytes.map((b) => Buffer.from(b).toString('hex')).join('\n') + '\n');
    expect(bytes.map((b) => pyBytesRepr(b))).toEqual(want);
    expect(want[0]).toBe("b''");
    expect(want[3]).toBe(`b'\\'"'`);
  });

  it('on 3000 random byte strings, quote-heavy and binary alike', () => {
    const next = rng(0xb17e5);
    const samples: Uint8Array[] = [];
    for (let n = 0; n < 3000; n++) {
      const len = next() % 40;
      const b = new Uint8Array(len);
      const alphabet = n % 3; // 0: any byte, 1: printable with quotes and backslashes, 2: mostly ASCII text
      for (let i = 0; i < len; i++) {
        const r = next();
        b[i] = alphabet === 0 ? r & 0xff : alphabet === 1 ? [0x27, 0x22, 0x5c, 0x41, 0x20, 0x09][r % 6] : 0x20 + (r % 0x60);
      }
      samples.push(b);
    }
    const want = python('import sys\nfor l in sys.stdin: print(repr(bytes.fromhex(l.strip())))', samples.map((b) => Buffer.from(b).toString('hex')).join('\n') + '\n');
    const got = samples.map((b) => pyBytesRepr(b));
    const bad = got.map((g, i) => [g, want[i], Buffer.from(samples[i]).toString('hex')]).filter(([g, w]) => g !== w);
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('honours a sub-range of a larger buffer', () => {
    const b = Uint8Array.from(Buffer.from("xx'yy"));
    expect(pyBytesRepr(b, 2, 4)).toBe(`b"'y"`);
  });
});

const U64 = 2n ** 64n;

describe("deltaText matches f'{delta_ns / 1000:0.3f}'", () => {
  function check(pairs: readonly (readonly [bigint, bigint])[]): void {
    const want = python("import sys\nfor l in sys.stdin:\n  p, c = map(int, l.split())\n  print(f'{(c - p) / 1000:0.3f}')", pairs.map(([p, c]) => `${p} ${c}`).join('\n') + '\n');
    const got = pairs.map(([p, c]) => deltaText(c, p));
    const bad = got.map((g, i) => [pairs[i][0].toString(), pairs[i][1].toString(), g, want[i]]).filter(([, , g, w]) => g !== w);
    expect(bad.slice(0, 5)).toEqual([]);
  }

  it('on the spec vector and small deltas', () => {
    check([
      [1000000n, 1000000n],
      [1000000n, 1001500n],
      [1001500n, 1002000n],
      [5n, 4n],
      [1000n, 1n],
      [0n, 999n],
      [0n, 1n],
      [0n, 1234567n],
    ]);
    expect(deltaText(1001500n, 1000000n)).toBe('1.500');
  });

  it('on random pairs over every magnitude up to 2^64, backwards ones included', () => {
    const next = rng(0xde17a);
    const pairs: [bigint, bigint][] = [];
    const rand64 = (bits: number): bigint => {
      const v = (BigInt(next()) << 32n) | BigInt(next());
      return bits >= 64 ? v : v & ((1n << BigInt(bits)) - 1n);
    };
    for (let n = 0; n < 4000; n++) {
      const bits = 1 + (n % 64);
      const p = rand64(64);
      const d = rand64(bits);
      const c = n % 5 === 0 ? (p - d + U64) % U64 : (p + d) % U64;
      pairs.push([p, c]);
    }
    check(pairs);
  });

  it('on deltas whose quotient lands on a tie of the third decimal (half to even, not half up)', () => {
    // Above 2^48 the double spacing is 1/16: delta = 1000 * (2^48 + k/16) rounds to such a tie for odd k.
    const pairs: [bigint, bigint][] = [];
    for (const base of [2n ** 44n, 2n ** 48n, 2n ** 50n, 2n ** 52n]) {
      for (let k = 1n; k < 16n; k += 2n) pairs.push([0n, (base * 16000n + k * 1000n) / 16n]);
      for (let k = 1n; k < 16n; k += 2n) pairs.push([(base * 16000n + k * 1000n) / 16n, 0n]);
    }
    check(pairs);
    // 2^48 + 1/16 is a tie between .062 and .063: Python keeps the even one; toFixed would round up.
    expect(formatFixed3(2 ** 48 + 1 / 16)).toBe('281474976710656.062');
    expect((2 ** 48 + 1 / 16).toFixed(3)).toBe('281474976710656.063');
  });

  it('divides correctly rounded where converting to a double first would round twice', () => {
    const next = rng(0x2d1f);
    const twice: bigint[] = [];
    const all: bigint[] = [];
    while (twice.length < 50) {
      const n = ((BigInt(next()) << 32n) | BigInt(next())) | (1n << 60n);
      all.push(n);
      if (Number(n) / 1000 !== divideToDouble(n, 1000n)) twice.push(n);
    }
    const sample = [...twice, ...all.slice(0, 200)];
    // %.17g round-trips a double exactly.
    const want = python("import sys\nfor l in sys.stdin: print('%.17g' % (int(l) / 1000))", sample.join('\n') + '\n');
    expect(sample.map((n) => divideToDouble(n, 1000n))).toEqual(want.map(Number));
  });
});
