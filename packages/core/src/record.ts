// The canonical record: QEMU's simpletrace v4 event record, carried in batches from producers to sinks.

/** Record type word of a v4 mapping record. */
export const RECORD_TYPE_MAPPING = 0;
/** Record type word of a v4 event record (dropped records included). */
export const RECORD_TYPE_EVENT = 1;
/** Id of the v4 file header (never an event id). */
export const HEADER_EVENT_ID = 0xffff_ffff_ffff_ffffn;
/** Id of the dropped-events pseudo record (never an event id). */
export const DROPPED_EVENT_ID = 0xffff_ffff_ffff_fffen;
/** The simpletrace header magic. */
export const SIMPLETRACE_MAGIC = 0xf2b1_77cb_0aa4_29b4n;
/** The simpletrace version this project writes. */
export const SIMPLETRACE_VERSION = 4;
/** Longest string argument kept in a record (QEMU's MAX_TRACE_STRLEN); longer strings are cut. */
export const MAX_TRACE_STRLEN = 512;
/**
 * Bytes of an event record before its payload, type word included: type u64, id u64, timestamp u64,
 * length u32, pid u32. The record's length field counts from the id: 24 + payload.
 */
export const RECORD_HEADER_BYTES = 32;
/** Offsets of the fields inside a record (from its type word). */
export const REC_TYPE = 0;
export const REC_ID = 8;
export const REC_TIMESTAMP = 16;
export const REC_LENGTH = 24;
export const REC_PID = 28;
export const REC_PAYLOAD = 32;

/**
 * Records on their way from a producer (the tracer, a guest channel) to sinks: v4 event records laid end to end,
 * each exactly as a v4 file stores it (type word 1 first), so a binary sink can copy the bytes as they are.
 *
 * A batch is only valid during the `Sink.write` call it is passed to: the producer reuses its buffers as soon as
 * the call returns. A sink must copy what it needs and never keep the batch or its arrays.
 */
export interface RecordBatch {
  /** The buffer holding the records, from byte 0 to `byteLength`. */
  readonly bytes: Uint8Array;
  /** A DataView over the same bytes (little-endian fields). */
  readonly view: DataView;
  /** Bytes used in `bytes`. */
  readonly byteLength: number;
  /** Number of records. */
  readonly count: number;
  /** `offsets[i]`: byte offset of record i (its type word); valid for i < count. */
  readonly offsets: Uint32Array;
  /** `events[i]`: registry index of record i's event; valid for i < count. */
  readonly events: Uint32Array;
  /**
   * `guestClock[i]`: the guest clock value record i was stamped with by its guest, or -1 for a host record.
   * Undefined when every record of the batch is a host record.
   */
  readonly guestClock: Float64Array | undefined;
}

/** Reads a record's u64 id as a BigInt. For decoding and tools, not for hot paths. */
export function recordId(batch: RecordBatch, i: number): bigint {
  return batch.view.getBigUint64(batch.offsets[i] + REC_ID, true);
}

/** Reads a record's timestamp (ns) as a number: exact below 2^53 ns (104 days of monotonic clock). */
export function recordTimestamp(batch: RecordBatch, i: number): number {
  const o = batch.offsets[i] + REC_TIMESTAMP;
  return batch.view.getUint32(o, true) + batch.view.getUint32(o + 4, true) * 4294967296;
}
