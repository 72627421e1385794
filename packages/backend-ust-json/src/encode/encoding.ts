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
