// A preallocated buffer that v4 event records are appended to, and read out of as a RecordBatch.
import {
  MAX_TRACE_STRLEN,
  RECORD_HEADER_BYTES,
  RECORD_TYPE_EVENT,
  type RecordBatch,
} from './record.js';

/** Default capacity of a batch: QEMU's simple backend flushes in chunks of the same size. */
export const DEFAULT_BATCH_BYTES: number = 64 * 1024;
/** The largest record the catalog language allows: 10 strings of 512 bytes, plus the header. */
export const MAX_RECORD_BYTES: number = RECORD_HEADER_BYTES + 10 * (4 + MAX_TRACE_STRLEN);

/** 2^-32: multiplying by it is exact (a power of two) and much cheaper than dividing by 2^32. */
const INV_TWO_32 = 1 / 4294967296;

/**
 * Appends v4 event records into one preallocated buffer and exposes them as a RecordBatch. Producers (the tracer, a
 * guest channel, a file reader re-batching records) write fields through `view` at the offset `begin` returns.
 * Allocates nothing per record. Not thread-safe; must not be shared between producers.
 */
export class BatchWriter implements RecordBatch {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly offsets: Uint32Array;
  readonly events: Uint32Array;
  /** Guest clock per record. Every slot at or beyond `count` holds -1, so host records need not store theirs. */
  readonly #guestClock: Float64Array;
  #hasGuest = false;
  /** True once a record of this batch stored a guest clock other than -1: `reset` must restore the slots. */
  #guestWritten = false;
  /** The string `putString` wrote last, and its bytes: the one-entry cache of its fast path. */
  #string: string | undefined = undefined;
  #stringLength = 0;
  readonly #stringBytes = new Uint8Array(MAX_TRACE_STRLEN);
  byteLength = 0;
  count = 0;

  /** Creates a writer holding up to `capacity` bytes of records (at least one record of the largest size). */
  constructor(capacity: number = DEFAULT_BATCH_BYTES) {
    if (!(capacity >= MAX_RECORD_BYTES)) throw new RangeError(`batch capacity must be at least ${MAX_RECORD_BYTES} bytes`);
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
    const maxRecords = Math.floor(capacity / RECORD_HEADER_BYTES);
    this.offsets = new Uint32Array(maxRecords);
    this.events = new Uint32Array(maxRecords);
    this.#guestClock = new Float64Array(maxRecords).fill(-1);
  }

  /** Guest clock per record, or undefined when the batch holds host records only. */
  get guestClock(): Float64Array | undefined {
    return this.#hasGuest ? this.#guestClock : undefined;
  }

  /** Free bytes left. A record of `RECORD_HEADER_BYTES + payload` bytes fits when this is at least that. */
  get free(): number {
    return this.bytes.length - this.byteLength;
  }

  /**
   * Appends a record header and returns the offset where its payload goes. The caller must have checked that
   * `RECORD_HEADER_BYTES + payloadBytes <= free` and must write exactly `payloadBytes` bytes there.
   * `guestClock` is -1 for host records.
   */
  begin(index: number, idLo: number, idHi: number, timeNs: number, pid: number, payloadBytes: number, guestClock: number): number {
    const o = this.byteLength;
    const v = this.view;
    v.setUint32(o, RECORD_TYPE_EVENT, true);
    v.setUint32(o + 4, 0, true);
    v.setUint32(o + 8, idLo, true);
    v.setUint32(o + 12, idHi, true);
    v.setUint32(o + 16, timeNs >>> 0, true);
    v.setUint32(o + 20, (timeNs * INV_TWO_32) >>> 0, true);
    v.setUint32(o + 24, 24 + payloadBytes, true);
    v.setUint32(o + 28, pid, true);
    const n = this.count;
    this.offsets[n] = o;
    this.events[n] = index;
    // Host records leave their slot at -1 (see `#guestClock`): one store less on the tracer's hot path.
    if (guestClock !== -1) this.#setGuestClock(n, guestClock);
    this.count = n + 1;
    this.byteLength = o + RECORD_HEADER_BYTES + payloadBytes;
    return o + RECORD_HEADER_BYTES;
  }

  /** Registers a record whose bytes were already copied to offset `o` (used by `copyRecord`). */
  adopt(o: number, length: number, index: number, guestClock: number): void {
    const n = this.count;
    this.offsets[n] = o;
    this.events[n] = index;
    if (guestClock !== -1) this.#setGuestClock(n, guestClock);
    this.count = n + 1;
    this.byteLength = o + length;
  }

  /** Empties the writer; the previous batch's contents become invalid. */
  reset(): void {
    // Restores the invariant that every slot at or beyond `count` holds -1 (only guest records wrote others).
    if (this.#guestWritten) this.#guestClock.fill(-1, 0, this.count);
    this.byteLength = 0;
    this.count = 0;
    this.#hasGuest = false;
    this.#guestWritten = false;
  }

  #setGuestClock(n: number, guestClock: number): void {
    this.#guestClock[n] = guestClock;
    this.#guestWritten = true;
    if (guestClock >= 0) this.#hasGuest = true;
  }

  /** Writes a u64 argument given as a number (any safe integer, negative ones sign-extended) at `o`; returns o + 8. */
  putNumber(o: number, value: number): number {
    this.view.setUint32(o, value >>> 0, true);
    this.view.setUint32(o + 4, Math.floor(value * INV_TWO_32) >>> 0, true);
    return o + 8;
  }

  /**
   * Writes a signed 32-bit argument (`value | 0`), sign-extended to 64 bits as C promotes it; returns o + 8. The
   * same bytes as `putNumber(o, value | 0)` without its floating-point division.
   */
  putInt(o: number, value: number): number {
    const x = value | 0;
    this.view.setUint32(o, x, true);
    this.view.setUint32(o + 4, x >> 31, true);
    return o + 8;
  }

  /** Writes a u64 argument given as a bigint (taken modulo 2^64, so negative values are sign-extended); returns o + 8. */
  putBigInt(o: number, value: bigint): number {
    this.view.setBigUint64(o, BigInt.asUintN(64, value), true);
    return o + 8;
  }

  /** Writes two u32 halves as one u64 argument; returns o + 8. */
  putWords(o: number, lo: number, hi: number): number {
    this.view.setUint32(o, lo >>> 0, true);
    this.view.setUint32(o + 4, hi >>> 0, true);
    return o + 8;
  }

  /**
   * Writes a string argument (u32 length, then at most MAX_TRACE_STRLEN bytes of its UTF-8 encoding; null gives
   * length 0, as QEMU records NULL). `byteLength` must come from `stringBytes(value)`. Returns the offset after it.
   */
  putString(o: number, value: string | null | undefined, byteLength: number): number {
    this.view.setUint32(o, byteLength, true);
    o += 4;
    if (byteLength === 0 || value == null) return o;
    const bytes = this.bytes;
    const cached = this.#stringBytes;
    // Tracepoints pass the same strings (device and key names) over and over: copying the bytes encoded last time
    // beats reading the characters again (charCodeAt re-checks the string's representation on every call).
    if (value === this.#string && byteLength === this.#stringLength) {
      for (let i = 0; i < byteLength; i++) bytes[o + i] = cached[i];
      return o + byteLength;
    }
    let i = 0;
    for (; i < byteLength; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) break;
      bytes[o + i] = c;
    }
    if (i < byteLength) bytes.set(utf8.encode(value).subarray(0, byteLength), o);
    for (let k = 0; k < byteLength; k++) cached[k] = bytes[o + k];
    this.#string = value;
    this.#stringLength = byteLength;
    return o + byteLength;
  }
}

const utf8 = new TextEncoder();

/** The string `stringBytes` measured last and its result: tracepoints measure the same strings over and over. */
let lastString: string | undefined;
let lastStringBytes = 0;

/** Bytes a string argument's text takes in a record: its UTF-8 length, capped at MAX_TRACE_STRLEN; 0 for null. */
export function stringBytes(value: string | null | undefined): number {
  if (value == null) return 0;
  if (value === lastString) return lastStringBytes;
  const n = value.length;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes >= MAX_TRACE_STRLEN) {
      bytes = MAX_TRACE_STRLEN;
      break;
    }
  }
  lastString = value;
  lastStringBytes = bytes;
  return bytes;
}

/** Appends record `i` of `batch` to `writer` unchanged. The caller must have checked that it fits. */
export function copyRecord(batch: RecordBatch, i: number, writer: BatchWriter): void {
  const start = batch.offsets[i];
  const len = 8 + batch.view.getUint32(start + 24, true);
  const o = writer.byteLength;
  writer.bytes.set(batch.bytes.subarray(start, start + len), o);
  const gc = batch.guestClock === undefined ? -1 : batch.guestClock[i];
  writer.adopt(o, len, batch.events[i], gc);
}
