// Integers as ASCII digits straight into a byte buffer: decimal (up to 2^64) and lowercase hex, without BigInt.

const TWO_32 = 4294967296;
/** Largest `hi` word of a u64 whose value is still at most 2^53 − 1. */
export const SAFE_HI_LIMIT = 0x200000;

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
// 4-digit groups of a u64 come out least significant first; they are staged here (no allocation per call).
const groups = new Uint16Array(5);

// "00" to "99": digits go out two at a time, one integer division per pair instead of one per digit.
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

// Integer arithmetic throughout: `| 0` tells the compiler a value is a 32-bit integer, which turns each division by a
// constant into a multiplication (values computed from two u32 words arrive as doubles, and double divisions are
// slow). Groups of four digits are independent, so their divisions overlap instead of waiting on each other.

/** The 1 to 4 digits of `v` < 10^4, without leading zeros; returns the end. */
function putUpTo4(out: Uint8Array, pos: number, v: number): number {
  if (v < 100) {
    if (v < 10) {
      out[pos] = 48 + v;
      return pos + 1;
    }
    out[pos] = PAIRS[v << 1];
    out[pos + 1] = PAIRS[(v << 1) + 1];
    return pos + 2;
  }
  if (v >= 1000) return put4(out, pos, v);
  const q = (v / 100) | 0;
  const r = (v - q * 100) << 1;
  out[pos] = 48 + q;
  out[pos + 1] = PAIRS[r];
  out[pos + 2] = PAIRS[r + 1];
  return pos + 3;
}

/** Exactly 4 digits of `v` < 10^4, leading zeros included; returns the end. */
function put4(out: Uint8Array, pos: number, v: number): number {
  const q = (v / 100) | 0;
  const r = (v - q * 100) << 1;
  out[pos] = PAIRS[q << 1];
  out[pos + 1] = PAIRS[(q << 1) + 1];
  out[pos + 2] = PAIRS[r];
  out[pos + 3] = PAIRS[r + 1];
  return pos + 4;
}

/** The digits of `v` < 10^8; returns the end. */
function putSmall(out: Uint8Array, pos: number, v: number): number {
  v |= 0;
  if (v < 10000) return putUpTo4(out, pos, v);
  const hi = (v / 10000) | 0;
  return put4(out, putUpTo4(out, pos, hi), v - hi * 10000);
}

/**
 * Writes a non-negative integer below 2^53 in decimal at `pos` and returns the end. Must not be given negative,
 * fractional or unsafe values (the caller checks; this is the hot path).
 */
export function putUint(out: Uint8Array, pos: number, v: number): number {
  if (v < 1e8) return putSmall(out, pos, v);
  // Split at 10^8: both halves are exact (v < 2^53 gives a head below 10^8) and print with integer arithmetic.
  const head = Math.floor(v / 1e8);
  const rest = (v - head * 1e8) | 0;
  const hi = (rest / 10000) | 0;
  pos = putSmall(out, pos, head);
  return put4(out, put4(out, pos, hi), rest - hi * 10000);
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
