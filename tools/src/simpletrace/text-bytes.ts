// simpletrace.py's columns written straight into a byte buffer: lower-case hex of a u64, decimal, the delta's
// '%0.3f' and Python's repr of bytes. Each writer takes a DataView of the buffer and a position and returns the
// position after what it wrote. Digits go out two or four at a time (one store each): a byte store costs about as
// much as a 32-bit one. Writers may scribble up to 8 bytes past the position they return (later text overwrites
// it), so the caller makes room for the bound given on each plus WRITE_SLACK. No BigInt, no strings on the common
// paths.
import { deltaText } from './delta.js';

/** Bytes a writer may touch past the position it returns. */
export const WRITE_SLACK = 8;
const TWO_32 = 4294967296;
/**
 * Below this many ns (2^43 × 1000) the quotient `delta / 1000` is under 2^43, so the double Python divides to is
 * within 2^-11 of the exact value, closer than half a thousandth: '%0.3f' gives the exact three-decimal quotient,
 * i.e. the integer's digits with a point before the last three. Above it, `deltaText` does the exact work.
 */
const FAST_DELTA = 8796093022208000;

/** `DIGIT_PAIRS[n]` (n < 100): the two ASCII digits of n as a little-endian u16 (the tens digit first in memory). */
const DIGIT_PAIRS: Uint16Array = new Uint16Array(100);
/** `POINT_FRACTIONS[n]` (n < 1000): `.` and the three digits of n as a little-endian u32. */
const POINT_FRACTIONS: Uint32Array = new Uint32Array(1000);
for (let n = 0; n < 100; n++) DIGIT_PAIRS[n] = (0x30 + Math.floor(n / 10)) | ((0x30 + (n % 10)) << 8);
for (let n = 0; n < 1000; n++) {
  POINT_FRACTIONS[n] = (0x2e | ((0x30 + Math.floor(n / 100)) << 8) | ((0x30 + (Math.floor(n / 10) % 10)) << 16) | ((0x30 + (n % 10)) << 24)) >>> 0;
}

/**
 * The bytes of `text` one per UTF-16 unit (`code & 0xff`), as `ByteWriter.pushAscii` writes them. For the catalog's
 * names (C identifiers) and other ASCII: it must not be used for arbitrary text, whose characters above 0xff are cut.
 */
export function latin1Bytes(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
  return b;
}

/** The four hex digits of a u16, most significant first, as a little-endian u32 of ASCII codes (SWAR). */
function hexQuad(h: number): number {
  // One nibble per byte, the top nibble in the lowest byte (first in memory).
  const t = ((h >> 12) & 0xf) | (h & 0xf00) | ((h << 12) & 0xf0000) | ((h << 24) & 0xf000000);
  // '0' + nibble, and 39 more ('a' - '0' - 10) for the nibbles from 10 up: nibble + 6 carries into bit 4 for those.
  return (t + 0x30303030 + (((t + 0x06060606) >>> 4) & 0x01010101) * 39) >>> 0;
}

/** Writes `v` (a u32) in lower-case hex without leading zeros ("0" for 0): at most 8 bytes (always stores 8). */
export function writeHex32(dst: DataView, o: number, v: number): number {
  const n = v === 0 ? 1 : (35 - Math.clz32(v)) >> 2;
  // The digits left-aligned, so that the 8 stored bytes start with the first digit.
  const a = (v << ((8 - n) << 2)) >>> 0;
  dst.setUint32(o, hexQuad(a >>> 16), true);
  dst.setUint32(o + 4, hexQuad(a & 0xffff), true);
  return o + n;
}

/** Writes the u64 `hi:lo` (u32 halves) in lower-case hex without leading zeros, as `'%x'`: at most 16 bytes. */
export function writeHex64(dst: DataView, o: number, lo: number, hi: number): number {
  if (hi === 0) return writeHex32(dst, o, lo);
  o = writeHex32(dst, o, hi);
  dst.setUint32(o, hexQuad(lo >>> 16), true);
  dst.setUint32(o + 4, hexQuad(lo & 0xffff), true);
  return o + 8;
}

function decimalDigits(v: number): number {
  if (v < 100) return v < 10 ? 1 : 2;
  if (v < 10000) return v < 1000 ? 3 : 4;
  if (v < 1000000) return v < 100000 ? 5 : 6;
  if (v < 100000000) return v < 10000000 ? 7 : 8;
  return v < 1000000000 ? 9 : 10;
}

/** Writes the `n` lowest decimal digits of the u32 `v`, ending at `end`; returns `end`. */
function writeDigits(dst: DataView, end: number, v: number, n: number): number {
  let k = end;
  for (; n >= 2; n -= 2) {
    const q = (v / 100) >>> 0;
    k -= 2;
    dst.setUint16(k, DIGIT_PAIRS[v - q * 100], true);
    v = q;
  }
  if (n === 1) dst.setUint8(k - 1, 0x30 + (v % 10));
  return end;
}

/** Writes a whole number `0 <= v < 2^53` in decimal: at most 16 bytes. */
export function writeDecimal(dst: DataView, o: number, v: number): number {
  if (v < TWO_32) return writeDigits(dst, o + decimalDigits(v), v, decimalDigits(v));
  // Eight digits at a time keep each part a u32.
  const high = Math.floor(v / 100000000);
  o = writeDecimal(dst, o, high);
  return writeDigits(dst, o + 8, v - high * 100000000, 8);
}

/**
 * Writes simpletrace.py's time column, `f'{(cur - prev) / 1000:0.3f}'`, for u64 timestamps given as u32 halves:
 * at most 28 bytes (a sign, 21 integer digits, a point and three decimals). Deltas under 2^43 µs (101 days) take
 * the integer path; larger ones, and backward jumps as large, go through `deltaText` (exact, with its ties).
 */
export function writeDelta(dst: DataView, o: number, curLo: number, curHi: number, prevLo: number, prevHi: number): number {
  // Exact whenever |delta| < 2^53; when it is not, the rounded value is at least 2^53 and fails the test below.
  let d = (curHi - prevHi) * TWO_32 + (curLo - prevLo);
  if (d >= FAST_DELTA || d <= -FAST_DELTA) {
    const text = deltaText(BigInt(curHi) * 4294967296n + BigInt(curLo), BigInt(prevHi) * 4294967296n + BigInt(prevLo));
    for (let i = 0; i < text.length; i++) dst.setUint8(o++, text.charCodeAt(i));
    return o;
  }
  if (d < 0) {
    dst.setUint8(o++, 0x2d);
    d = -d;
  }
  if (d < TWO_32) {
    const whole = (d / 1000) >>> 0;
    o = writeDigits(dst, o + decimalDigits(whole), whole, decimalDigits(whole));
    dst.setUint32(o, POINT_FRACTIONS[d - whole * 1000], true);
    return o + 4;
  }
  const whole = Math.floor(d / 1000);
  o = writeDecimal(dst, o, whole);
  dst.setUint32(o, POINT_FRACTIONS[d - whole * 1000], true);
  return o + 4;
}

/** Most bytes `writePyRepr` writes for `n` bytes: every byte as `\xNN`, the `b` and two quotes. */
export function pyReprBound(n: number): number {
  return 4 * n + 3;
}

const HEX_DIGITS: Uint8Array = latin1Bytes('0123456789abcdef');

/**
 * Writes `repr(bytes(src[start:end]))` as CPython prints it (see `pyBytesRepr`, whose text this is byte for byte):
 * at most `pyReprBound(end - start)` bytes. Must not be given a range outside `src`.
 */
export function writePyRepr(dst: DataView, o: number, src: Uint8Array, start: number, end: number): number {
  let squote = false;
  let dquote = false;
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (c === 0x27) squote = true;
    else if (c === 0x22) dquote = true;
    else if (c < 0x20 || c >= 0x7f || c === 0x5c) plain = false;
  }
  const quote = squote && !dquote ? 0x22 : 0x27;
  dst.setUint8(o++, 0x62); // b
  dst.setUint8(o++, quote);
  if (plain && !(squote && dquote)) {
    // The common case: nothing to escape, so the bytes are the text.
    for (let i = start; i < end; i++) dst.setUint8(o++, src[i]);
  } else {
    for (let i = start; i < end; i++) {
      const c = src[i];
      if (c === quote || c === 0x5c) {
        dst.setUint8(o++, 0x5c);
        dst.setUint8(o++, c);
      } else if (c >= 0x20 && c < 0x7f) dst.setUint8(o++, c);
      else if (c === 0x09 || c === 0x0a || c === 0x0d) {
        dst.setUint8(o++, 0x5c);
        dst.setUint8(o++, c === 0x09 ? 0x74 : c === 0x0a ? 0x6e : 0x72);
      } else {
        dst.setUint8(o++, 0x5c);
        dst.setUint8(o++, 0x78);
        dst.setUint8(o++, HEX_DIGITS[c >> 4]);
        dst.setUint8(o++, HEX_DIGITS[c & 15]);
      }
    }
  }
  dst.setUint8(o++, quote);
  return o;
}
