// The shape shared by the JSON and MessagePack encoders: one compiled encoder per event, plus dropped records.
import type { RecordBatch } from '@unitrace/core';
import type { EventPlan } from './event-plan.js';

/**
 * Output bytes an encoder may need per payload byte of a record, on top of its `fixedBytes`: a string byte can
 * become a 6-byte JSON escape plus 2 hex digits in `fields_raw`; an 8-byte integer word needs far less.
 */
export const BYTES_PER_PAYLOAD_BYTE = 8;

/** Encodes the records of one event. Allocates nothing; keeps nothing of the batch. */
export interface EventEncoder {
  /** Bytes a record of this event takes at most, besides `BYTES_PER_PAYLOAD_BYTE` per payload byte. */
  readonly fixedBytes: number;
  /**
   * Encodes record `i` of `batch` at `pos` and returns the end, or -1 (having written garbage that the caller
   * discards) when the payload is shorter than the arguments need. The caller guarantees the room.
   */
  encode(out: Uint8Array, pos: number, batch: RecordBatch, i: number): number;
}

/** One output encoding (JSON lines or MessagePack). */
export interface Encoding {
  readonly name: 'json' | 'msgpack';
  /** File extension of the default file name. */
  readonly extension: string;
  /** Compiles an encoder for one event; `procname` is written into every record. */
  event(plan: EventPlan, procname: string): EventEncoder;
  /** Bytes a dropped record takes at most. */
  readonly droppedBytes: number;
  /** Writes a dropped record at `pos` (room of `droppedBytes` guaranteed) and returns the end. */
  dropped(out: Uint8Array, pos: number, count: number, timeNs: number): number;
}

/** Copies a pre-encoded segment: a plain loop for a few bytes, `set()` (a memcpy) past its fixed cost. */
export function putBytes(out: Uint8Array, pos: number, seg: Uint8Array): number {
  const n = seg.length;
  if (n > 16) out.set(seg, pos);
  else for (let k = 0; k < n; k++) out[pos + k] = seg[k];
  return pos + n;
}

/**
 * A pre-encoded segment with its bytes also as little-endian u32 words, so that a short one (up to 16 bytes: JSON
 * keys such as `,"len":`) goes out in two to four overlapping word stores instead of a byte loop (three times
 * faster) or a `set()` call (five times faster at that size). Immutable; build it once with `segment`.
 */
export interface Segment {
  readonly bytes: Uint8Array;
  readonly length: number;
  /** Words at 0 and length − 4 (4 to 8 bytes), or at 0, 4, length − 8 and length − 4 (9 to 16 bytes). */
  readonly words: Uint32Array;
}

/** Builds the Segment of `bytes` (copied). */
export function segment(bytes: Uint8Array): Segment {
  const copy = Uint8Array.from(bytes);
  const n = copy.length;
  const dv = new DataView(copy.buffer);
  const at = n < 4 ? [] : n <= 8 ? [0, n - 4] : n <= 16 ? [0, 4, n - 8, n - 4] : [];
  return { bytes: copy, length: n, words: Uint32Array.from(at, (o) => dv.getUint32(o, true)) };
}

// The DataView of the last output buffer: encoders are handed the same chunk for hundreds of records in a row.
let lastOut: Uint8Array | undefined;
let lastView: DataView = new DataView(new ArrayBuffer(0));

/** A DataView over `out` (cached for the last buffer asked for: one compare per call, a DataView per chunk). */
export function viewOf(out: Uint8Array): DataView {
  if (out !== lastOut) {
    lastOut = out;
    lastView = new DataView(out.buffer, out.byteOffset, out.byteLength);
  }
  return lastView;
}

/** Copies a Segment to `out` at `pos` (room guaranteed by the caller) and returns the end. */
export function putSegment(out: Uint8Array, view: DataView, pos: number, seg: Segment): number {
  const n = seg.length;
  const w = seg.words;
  if (n > 16 || n < 4) return putBytes(out, pos, seg.bytes);
  if (n <= 8) {
    view.setUint32(pos, w[0], true);
    view.setUint32(pos + n - 4, w[1], true);
  } else {
    view.setUint32(pos, w[0], true);
    view.setUint32(pos + 4, w[1], true);
    view.setUint32(pos + n - 8, w[2], true);
    view.setUint32(pos + n - 4, w[3], true);
  }
  return pos + n;
}
