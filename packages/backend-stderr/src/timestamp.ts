// Line prefixes of QEMU's log output (spec §6): ISO-8601 UTC, `tid@sec.usec:` and `pid@sec.usec:`, from record ns.
import type { ByteWriter } from '@unitrace/core';
import type { TimestampStyle } from './options.js';

const ZERO = 0x30;
const US_PER_SEC = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SEC;

/**
 * Microseconds since the Unix epoch at clock time 0, measured now: the wall clock (`performance.timeOrigin +
 * performance.now()`, µs resolution) minus the clock's reading. Both are read back to back, so the error is the time
 * between the two reads (well under a microsecond) plus the wall clock's own error.
 */
export function measureEpochOffsetUs(clockNowNs: () => number): number {
  const wallUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const monoNs = clockNowNs();
  return wallUs - nsToUs(monoNs);
}

/**
 * floor(ns / 1000) for any safe integer. One division is exact here: n / 1000 is k + r/1000 with r ≤ 999, at least
 * 0.001 below k + 1, while a double near 2^53 / 1000 has a spacing under 0.001, so rounding never reaches k + 1.
 */
export function nsToUs(ns: number): number {
  return Math.floor(ns / 1000);
}

/** Year, month (1–12) and day of the proleptic Gregorian calendar for a count of days since 1970-01-01. */
export function civilFromDays(days: number, out: Int32Array): void {
  // H. Hinnant's days_from_civil inverse: eras of 400 years (146097 days) starting on 0000-03-01.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

// Two ASCII digits per value 0–99: the microseconds are written as three pairs.
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** Writes `v` (0 ≤ v < 10^6) as exactly 6 digits at `pos`: the per-record part of every stamp. */
function putMicros(bytes: Uint8Array, pos: number, v: number): void {
  const a = (v / 10000) | 0;
  const r = v - a * 10000;
  const b = (r / 100) | 0;
  const c = r - b * 100;
  bytes[pos] = PAIRS[2 * a];
  bytes[pos + 1] = PAIRS[2 * a + 1];
  bytes[pos + 2] = PAIRS[2 * b];
  bytes[pos + 3] = PAIRS[2 * b + 1];
  bytes[pos + 4] = PAIRS[2 * c];
  bytes[pos + 5] = PAIRS[2 * c + 1];
}

/** Writes `v` as exactly `n` decimal digits (zero-padded, or cut to the low digits) at `pos`. */
function putFixed(bytes: Uint8Array, pos: number, v: number, n: number): void {
  for (let k = pos + n - 1; k >= pos; k--) {
    const q = Math.floor(v / 10);
    bytes[k] = ZERO + (v - q * 10);
    v = q;
  }
}

/** Writes a signed safe integer in decimal; returns the end. */
function putInt(bytes: Uint8Array, pos: number, v: number): number {
  if (v < 0) {
    bytes[pos++] = 0x2d;
    v = -v;
  }
  let n = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) n++;
  putFixed(bytes, pos, v, n);
  return pos + n;
}

/**
 * Writes a line prefix for a record time (ns on the clock's axis) and pid. Caches the text of the last second (and
 * pid), so consecutive records cost a few digit stores. One instance per sink; not re-entrant.
 */
export class StampWriter {
  readonly style: TimestampStyle;
  readonly epochOffsetUs: number;
  readonly #open: Uint8Array;
  readonly #close: Uint8Array;
  readonly #ymd = new Int32Array(3);
  /** The cached head: ISO `YYYY-MM-DDTHH:MM:SS`, or `pid@sec.`. */
  readonly #head = new Uint8Array(64);
  #headLength = 0;
  #sec = Number.NaN;
  #pid = -1;

  /** `open`/`close` wrap the stamp (colour codes, or empty). */
  constructor(style: TimestampStyle, epochOffsetUs: number, open: Uint8Array, close: Uint8Array) {
    this.style = style;
    this.epochOffsetUs = epochOffsetUs;
    this.#open = open;
    this.#close = close;
  }

  /** Appends the prefix of a record stamped `timeNs` by process `pid` (`style` none: nothing). */
  write(out: ByteWriter, timeNs: number, pid: number): void {
    if (this.style === 'none') return;
    const us = nsToUs(timeNs) + this.epochOffsetUs;
    const sec = Math.floor(us / US_PER_SEC);
    const usec = us - sec * US_PER_SEC;
    if (this.#open.length > 0) out.pushBytes(this.#open);
    if (this.style === 'iso') {
      if (sec !== this.#sec) this.#isoHead(us, sec);
      out.ensure(this.#headLength + 9);
      const bytes = out.bytes;
      let o = out.length;
      const head = this.#head;
      for (let k = 0; k < this.#headLength; k++) bytes[o++] = head[k];
      // GLib's ISO-8601 form leaves the fraction out when the microseconds are exactly zero (spec §6).
      if (usec !== 0) {
        bytes[o] = 0x2e;
        putMicros(bytes, o + 1, usec);
        o += 7;
      }
      bytes[o++] = 0x5a;
      out.length = o;
      if (this.#close.length > 0) out.pushBytes(this.#close);
      out.pushByte(0x20);
      return;
    }
    if (sec !== this.#sec || pid !== this.#pid) this.#pidHead(sec, pid);
    out.ensure(this.#headLength + 7);
    const bytes = out.bytes;
    let o = out.length;
    const head = this.#head;
    for (let k = 0; k < this.#headLength; k++) bytes[o++] = head[k];
    putMicros(bytes, o, usec);
    bytes[o + 6] = 0x3a;
    out.length = o + 7;
    if (this.#close.length > 0) out.pushBytes(this.#close);
  }

  #isoHead(us: number, sec: number): void {
    const day = Math.floor(us / US_PER_DAY);
    const secOfDay = sec - day * 86_400;
    civilFromDays(day, this.#ymd);
    const h = this.#head;
    const year = this.#ymd[0];
    // %C%y: four digits for the years a clock can show; anything else in full.
    const fourDigits = year >= 0 && year <= 9999;
    if (fourDigits) putFixed(h, 0, year, 4);
    const o = fourDigits ? 4 : putInt(h, 0, year);
    h[o] = 0x2d;
    putFixed(h, o + 1, this.#ymd[1], 2);
    h[o + 3] = 0x2d;
    putFixed(h, o + 4, this.#ymd[2], 2);
    h[o + 6] = 0x54;
    putFixed(h, o + 7, Math.floor(secOfDay / 3600), 2);
    h[o + 9] = 0x3a;
    putFixed(h, o + 10, Math.floor(secOfDay / 60) % 60, 2);
    h[o + 12] = 0x3a;
    putFixed(h, o + 13, secOfDay % 60, 2);
    this.#headLength = o + 15;
    this.#sec = sec;
  }

  #pidHead(sec: number, pid: number): void {
    const h = this.#head;
    let o = putInt(h, 0, pid);
    h[o++] = 0x40;
    o = putInt(h, o, sec);
    h[o++] = 0x2e;
    this.#headLength = o;
    this.#sec = sec;
    this.#pid = pid;
  }
}
