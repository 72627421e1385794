// Exact numbers for trace-event JSON: u64 words as JSON numbers while they are safe integers, strings beyond.

const TWO_32 = 4294967296;
const HEX_PAD = '00000000';

/** A u64 word given as u32 halves, as JSON: a number up to 2^53 - 1, a decimal string beyond. */
export function u64Json(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return `"${((BigInt(hi) << 32n) | BigInt(lo)).toString()}"`;
}

/** A u64 word read as int64, as JSON: a number while it is a safe integer, a decimal string beyond. */
export function i64Json(hi: number, lo: number): string {
  if (hi < 0x80000000) return u64Json(hi, lo);
  const value = (hi - TWO_32) * TWO_32 + lo;
  if (value >= -Number.MAX_SAFE_INTEGER) return String(value);
  return `"${BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString()}"`;
}

/** A u64 word as a `"0x…"` JSON string (lower-case hex, no padding), for addresses. */
export function hexJson(hi: number, lo: number): string {
  if (hi === 0) return `"0x${lo.toString(16)}"`;
  const low = lo.toString(16);
  return `"0x${hi.toString(16)}${HEX_PAD.slice(low.length)}${low}"`;
}

/**
 * Nanoseconds (u32 halves) as microseconds, printed exactly: `1000500` → `1000.5`, `1000000` → `1000`. Trace-event
 * `ts` is in microseconds; the nanoseconds stay as decimals so nothing is rounded away.
 */
export function microsJson(hi: number, lo: number): string {
  let whole: string;
  let frac: number;
  if (hi < 0x200000) {
    const ns = hi * TWO_32 + lo;
    frac = ns % 1000;
    whole = String((ns - frac) / 1000);
  } else {
    const ns = (BigInt(hi) << 32n) | BigInt(lo);
    frac = Number(ns % 1000n);
    whole = (ns / 1000n).toString();
  }
  if (frac === 0) return whole;
  let f = String(frac).padStart(3, '0');
  while (f.endsWith('0')) f = f.slice(0, -1);
  return `${whole}.${f}`;
}

/** Microseconds of a timestamp given as a number of ns (exact below 2^53). */
export function microsOfNumber(ns: number): string {
  return microsJson(Math.floor(ns / TWO_32), ns >>> 0);
}

const utf8 = new TextDecoder();

/**
 * Bytes as a JSON string: decoded as UTF-8 (invalid sequences become U+FFFD), escaped by JSON rules, and every
 * character above 0x7e written as `\uXXXX`, so the document stays ASCII.
 */
export function bytesJson(bytes: Uint8Array, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) {
    let s = '"';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s + '"';
  }
  return asciiJson(utf8.decode(bytes.subarray(start, end)));
}

/** Any JS string as an ASCII-only JSON string literal. */
export function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
