// Writes one converted value with glibc's flag, width and precision rules; 64-bit values as two u32 halves, no BigInt.
import type { ByteWriter } from './byte-writer.js';
import type { FormatOp } from './format-op.js';

const TWO_32 = 4294967296;
const SPACE = 0x20;
const ZERO = 0x30;
const DIGITS_LOWER = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DIGITS_UPPER = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const NIL = Uint8Array.from('(nil)', (c) => c.charCodeAt(0));
const NULL_STRING = Uint8Array.from('(null)', (c) => c.charCodeAt(0));

/** Digits are built right to left here; 22 octal digits are the most a 64-bit value needs. */
const scratch = new Uint8Array(24);

/** `PAIRS[2k]`, `PAIRS[2k + 1]`: the two decimal digits of k (00 to 99), so one division yields two digits. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, j) => ZERO + (j % 2 === 0 ? Math.floor(j / 20) : (j >> 1) % 10));

/** Writes the digits of the unsigned 64-bit value hi:lo at the end of `scratch`; returns the index of the first. */
function toDigits(lo: number, hi: number, base: number, upper: boolean): number {
  const table = upper ? DIGITS_UPPER : DIGITS_LOWER;
  let i = scratch.length;
  if (base === 10) {
    // Long division of hi:lo by 10 while hi is non-zero: every intermediate stays below 10 * 2^32, exact in a double.
    while (hi !== 0) {
      const r = hi % 10;
      hi = (hi - r) / 10;
      const t = r * TWO_32 + lo;
      const q = Math.floor(t / 10);
      scratch[--i] = ZERO + (t - q * 10);
      lo = q;
    }
    // Two digits per division: a floating-point division per digit is most of what a decimal line costs.
    while (lo >= 100) {
      const q = Math.floor(lo / 100);
      const r = (lo - q * 100) << 1;
      scratch[--i] = PAIRS[r + 1];
      scratch[--i] = PAIRS[r];
      lo = q;
    }
    if (lo >= 10) {
      scratch[--i] = PAIRS[(lo << 1) + 1];
      scratch[--i] = PAIRS[lo << 1];
    } else scratch[--i] = ZERO + lo;
    return i;
  }
  if (base === 16) {
    if (hi !== 0) {
      for (let k = 0; k < 8; k++) {
        scratch[--i] = table[lo & 15];
        lo >>>= 4;
      }
      lo = hi;
    }
    do {
      scratch[--i] = table[lo & 15];
      lo >>>= 4;
    } while (lo !== 0);
    return i;
  }
  // Octal: three groups of 30, 30 and 4 bits, because 3 does not divide 32.
  const top = hi >>> 28;
  let mid = ((lo >>> 30) | ((hi & 0x0fffffff) << 2)) >>> 0;
  let low = lo & 0x3fffffff;
  if (top !== 0 || mid !== 0) {
    for (let k = 0; k < 10; k++) {
      scratch[--i] = ZERO + (low & 7);
      low >>>= 3;
    }
    if (top !== 0) {
      for (let k = 0; k < 10; k++) {
        scratch[--i] = ZERO + (mid & 7);
        mid >>>= 3;
      }
      let t = top;
      do {
        scratch[--i] = ZERO + (t & 7);
        t >>>= 3;
      } while (t !== 0);
      return i;
    }
    low = mid;
  }
  do {
    scratch[--i] = ZERO + (low & 7);
    low >>>= 3;
  } while (low !== 0);
  return i;
}

/**
 * Writes sign or prefix, zero padding, digits and field padding the way glibc lays out an integer. `sign` is the
 * byte before the number (0 for none); `prefix` is 0, or 'x'/'X' for a `0x`/`0X` prefix.
 */
function layout(
  out: ByteWriter,
  op: FormatOp,
  lo: number,
  hi: number,
  sign: number,
  prefix: number,
  width: number,
  precision: number,
  minus: boolean,
): void {
  const isZero = lo === 0 && hi === 0;
  const start = precision === 0 && isZero ? scratch.length : toDigits(lo, hi, op.base, op.upper);
  const nd = scratch.length - start;
  let zeros = precision > nd ? precision - nd : 0;
  // `#` with o: the first digit must be 0 (which is also how `%#.0o` of 0 prints "0").
  if (op.base === 8 && op.hash && zeros === 0 && (nd === 0 || !isZero)) zeros = 1;
  const head = (sign !== 0 ? 1 : 0) + (prefix !== 0 ? 2 : 0);
  let pad = width - head - zeros - nd;
  if (pad < 0) pad = 0;
  out.ensure(head + zeros + nd + pad);
  const bytes = out.bytes;
  let o = out.length;
  if (pad > 0 && !minus) {
    if (op.zero && precision < 0) zeros += pad;
    else for (let k = 0; k < pad; k++) bytes[o++] = SPACE;
    pad = 0;
  }
  if (sign !== 0) bytes[o++] = sign;
  if (prefix !== 0) {
    bytes[o++] = ZERO;
    bytes[o++] = prefix;
  }
  for (let k = 0; k < zeros; k++) bytes[o++] = ZERO;
  for (let k = start; k < scratch.length; k++) bytes[o++] = scratch[k];
  for (let k = 0; k < pad; k++) bytes[o++] = SPACE;
  out.length = o;
}

/**
 * Writes an integer conversion (d i u o x X). `lo`/`hi` hold the argument as passed (after conversion to its
 * declared type and promotion); the conversion reads `op.readBits` of it, signed for d and i.
 */
export function emitInteger(out: ByteWriter, op: FormatOp, lo: number, hi: number, width: number, precision: number, minus: boolean): void {
  let neg = false;
  switch (op.readBits) {
    case 8:
      lo &= 0xff;
      hi = 0;
      if (op.signedRead && lo >= 0x80) {
        neg = true;
        lo = 0x100 - lo;
      }
      break;
    case 16:
      lo &= 0xffff;
      hi = 0;
      if (op.signedRead && lo >= 0x8000) {
        neg = true;
        lo = 0x10000 - lo;
      }
      break;
    case 32:
      lo >>>= 0;
      hi = 0;
      if (op.signedRead && lo >= 0x80000000) {
        neg = true;
        lo = TWO_32 - lo;
      }
      break;
    default:
      lo >>>= 0;
      hi >>>= 0;
      if (op.signedRead && hi >= 0x80000000) {
        neg = true;
        hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
        lo = (TWO_32 - lo) % TWO_32;
      }
  }
  let sign = 0;
  if (op.signedRead) sign = neg ? 0x2d : op.plus ? 0x2b : op.space ? SPACE : 0;
  const prefix = op.base === 16 && op.hash && (lo !== 0 || hi !== 0) ? (op.upper ? 0x58 : 0x78) : 0;
  layout(out, op, lo, hi, sign, prefix, width, precision, minus);
}

/** Writes `%p`: `0x` and lower-case hex (glibc honours `+`, space, `0` and precision here), or `(nil)` for NULL. */
export function emitPointer(out: ByteWriter, op: FormatOp, lo: number, hi: number, width: number, precision: number, minus: boolean): void {
  lo >>>= 0;
  hi >>>= 0;
  if (lo === 0 && hi === 0) {
    emitPadded(out, NIL, 0, NIL.length, width, minus);
    return;
  }
  const sign = op.plus ? 0x2b : op.space ? SPACE : 0;
  layout(out, op, lo, hi, sign, 0x78, width, precision, minus);
}

/** Writes `src[start, start + length)` padded with spaces to `width` (glibc pads %s and %c with spaces even with `0`). */
export function emitPadded(out: ByteWriter, src: Uint8Array, start: number, length: number, width: number, minus: boolean): void {
  const pad = width > length ? width - length : 0;
  if (pad > 0 && !minus) out.pushRepeat(SPACE, pad);
  out.pushBytes(src, start, start + length);
  if (pad > 0 && minus) out.pushRepeat(SPACE, pad);
}

/** Writes `%s` of a NULL string as glibc 2.36 does: `(null)`, or nothing when a precision below 6 would cut it. */
export function emitNullString(out: ByteWriter, width: number, precision: number, minus: boolean): void {
  const n = precision >= 0 && precision < NULL_STRING.length ? 0 : NULL_STRING.length;
  emitPadded(out, NULL_STRING, 0, n, width, minus);
}

/** Writes `%c`: exactly one byte, the low 8 bits of the promoted int (never UTF-8). */
export function emitChar(out: ByteWriter, value: number, width: number, minus: boolean): void {
  const pad = width > 1 ? width - 1 : 0;
  if (pad > 0 && !minus) out.pushRepeat(SPACE, pad);
  out.pushByte(value & 0xff);
  if (pad > 0 && minus) out.pushRepeat(SPACE, pad);
}
