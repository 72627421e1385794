// Integers as ASCII digits straight into a byte buffer: decimal (up to 2^64) and lowercase hex, without BigInt.

const TWO_32 = 4294967296;
/** Largest `hi` word of a u64 whose value is still at most 2^53 − 1. */
export const SAFE_HI_LIMIT = 0x200000;

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
// 4-digit groups of a u64 come out least significant first; they are staged here (no allocation per call).
const groups = new Uint16Array(5);

// Below 10^8, digits come from 32-bit integer arithmetic.
function putSmall(out: Uint8Array, pos: number, v: number): number {
  const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : 8;
  let p = pos + n;
  do {
    const q = (v / 10) | 0;
    out[--p] = 48 + v - q * 10;
    v = q;
  } while (v !== 0);
  return pos + n;
}

/**
 * Writes a non-negative integer below 2^53 in decimal at `pos` and returns the end. Must not be given negative,
 * fractional or unsafe values (the caller checks; this is the hot path).
 */
export function putUint(out: Uint8Array, pos: number, v: number): number {
  if (v < 1e8) return putSmall(out, pos, v);
  // Split at 10^8: both halves are exact (v < 2^53 gives a head below 10^8) and print with integer arithmetic.
  const head = Math.floor(v / 1e8);
  let rest = v - head * 1e8;
  pos = putSmall(out, pos, head);
  for (let p = pos + 7; p >= pos; p--) {
    const q = (rest / 10) | 0;
    out[p] = 48 + rest - q * 10;
    rest = q;
  }
  return pos + 8;
}

/** Writes the u64 `hi * 2^32 + lo` (both unsigned 32-bit words) in decimal and returns the end. Exact for every u64. */
export function putU64(out: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi < SAFE_HI_LIMIT) return putUint(out, pos, hi * TWO_32 + lo);
  // Long division of four 16-bit limbs by 10^4: every intermediate stays below 2^30, exact in a double.
  let a = hi >>> 16;
  let b = hi & 0xffff;
  let c = lo >>> 16;
  let d = lo & 0xffff;
  let n = 0;
  while ((a | b | c | d) !== 0) {
    let t = a;
    a = Math.floor(t / 10000);
    let r = t - a * 10000;
    t = r * 65536 + b;
    b = Math.floor(t / 10000);
    r = t - b * 10000;
    t = r * 65536 + c;
    c = Math.floor(t / 10000);
    r = t - c * 10000;
    t = r * 65536 + d;
    d = Math.floor(t / 10000);
    groups[n++] = t - d * 10000;
  }
  pos = putUint(out, pos, groups[--n]);
  while (n > 0) {
    const g = groups[--n];
    out[pos] = 48 + Math.floor(g / 1000);
    out[pos + 1] = 48 + (Math.floor(g / 100) % 10);
    out[pos + 2] = 48 + (Math.floor(g / 10) % 10);
    out[pos + 3] = 48 + (g % 10);
    pos += 4;
  }
  return pos;
}

/** Writes a u32 in lowercase hex without leading zeros ("0" for zero) and returns the end. */
export function putHex32(out: Uint8Array, pos: number, v: number): number {
  let shift = 28;
  while (shift > 0 && (v >>> shift) === 0) shift -= 4;
  for (; shift >= 0; shift -= 4) out[pos++] = HEX[(v >>> shift) & 15];
  return pos;
}

/** Writes the u64 `hi:lo` as lowercase hex with a `0x` prefix and no leading zeros (`0x0` for NULL). */
export function putPointer(out: Uint8Array, pos: number, hi: number, lo: number): number {
  out[pos] = 48; // 0
  out[pos + 1] = 120; // x
  pos += 2;
  if (hi === 0) return putHex32(out, pos, lo);
  pos = putHex32(out, pos, hi);
  for (let shift = 28; shift >= 0; shift -= 4) out[pos++] = HEX[(lo >>> shift) & 15];
  return pos;
}

/** Writes bytes as lowercase hex pairs (the `fields_raw` form in JSON) and returns the end. */
export function putHexBytes(out: Uint8Array, pos: number, src: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const b = src[i];
    out[pos] = HEX[b >>> 4];
    out[pos + 1] = HEX[b & 15];
    pos += 2;
  }
  return pos;
}
