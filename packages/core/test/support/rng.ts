// Test helper: a small seeded PRNG (mulberry32), so every generated case is the same on every run.

/** Deterministic random numbers from a 32-bit seed. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A uniform u32. */
  u32(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** A uniform 64-bit pattern. */
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

/** Values at the edges of every integer width, as raw 64-bit patterns (negative ones sign-extended). */
export const EDGE_VALUES: readonly bigint[] = [
  0n, 1n, -1n, 2n, 9n, 10n, 0x7fn, 0x80n, 0xffn, 0x100n, -128n, -129n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n,
  -32768n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -2147483648n, 0x7fffffffffffffffn,
  -0x8000000000000000n, 0x123456789abcdef0n, 2n ** 53n + 1n, 10n ** 19n, 0x1ffn, 0x1234_5678n,
];

/** A raw integer argument: an edge value, a value of a random width, or any 64-bit pattern. */
export function randomInteger(rng: Rng): bigint {
  const r = rng.int(3);
  if (r === 0) return rng.pick(EDGE_VALUES);
  if (r === 1) return BigInt.asIntN(64, rng.u64() >> BigInt(rng.int(64)));
  return rng.u64();
}

/** String bytes: mostly printable ASCII, sometimes bytes ≥ 0x80; never NUL (a C literal cannot carry one). */
export function randomStringBytes(rng: Rng, maxLength = 30): Uint8Array {
  const n = rng.chance(0.1) ? 0 : rng.int(maxLength + 1);
  return Uint8Array.from({ length: n }, () => (rng.chance(0.05) ? 0x80 + rng.int(0x80) : 0x20 + rng.int(0x5f)));
}
