// Byte layout of a simpletrace v4 file (spec §5.2) as plain numbers, importable by the writer thread without core.

/** Bytes of the file header: id u64, magic u64, version u64. */
export const FILE_HEADER_BYTES = 24;
/** Offsets of the header fields. */
export const HDR_ID = 0;
export const HDR_MAGIC = 8;
export const HDR_VERSION = 16;

/** Offsets inside a mapping record (type 0): type u64, event id u64, name length u32, name bytes. */
export const MAP_ID = 8;
export const MAP_NAME_LENGTH = 16;
export const MAP_NAME = 20;

/** Offsets inside an event record, from its type word (the same layout as core's REC_* constants). */
export const EV_ID = 8;
export const EV_TIMESTAMP = 16;
export const EV_LENGTH = 24;
export const EV_PID = 28;
export const EV_PAYLOAD = 32;
/** What an event record's length field counts beyond its payload: id, timestamp, length and pid. */
export const EV_LENGTH_BASE = 24;

/** A dropped record on disk: 8-byte type word plus a 32-byte body (header and the u64 count). */
export const DROPPED_RECORD_BYTES = 40;
/** The length field of a dropped record. */
export const DROPPED_RECORD_LENGTH = 32;

/** The reserved ids and the magic as u32 halves, so records are written without BigInt. */
export const HEADER_ID_LO = 0xffff_ffff;
export const HEADER_ID_HI = 0xffff_ffff;
export const DROPPED_ID_LO = 0xffff_fffe;
export const DROPPED_ID_HI = 0xffff_ffff;
export const MAGIC_LO = 0x0aa4_29b4;
export const MAGIC_HI = 0xf2b1_77cb;

/** At most 10 arguments per event (tracetool's limit), each a u64 or a u32 length plus up to 512 bytes. */
export const MAX_ARGS = 10;
/** The largest length field QEMU can write: 24 + 10 × (4 + 512). Anything larger is corruption. */
export const MAX_EVENT_LENGTH: number = EV_LENGTH_BASE + MAX_ARGS * (4 + 512);
/**
 * The longest event name a reader accepts in a mapping record. Event names are C identifiers; QEMU's longest is
 * under 64 bytes, so a length beyond this is corruption, never an allocation.
 */
export const MAX_NAME_BYTES = 4096;

/**
 * Bytes of the record starting at ring position `pos` of a circular buffer (mapping: 20 + N; event: 8 + L), read
 * byte by byte because a record may wrap. Used only on the error path, so speed does not matter.
 */
export function ringRecordBytes(ring: Uint8Array, pos: number): number {
  const cap = ring.length;
  const u32 = (at: number): number => {
    let v = 0;
    for (let k = 3; k >= 0; k--) v = v * 256 + ring[(pos + at + k) % cap];
    return v;
  };
  return u32(0) === 0 ? MAP_NAME + u32(MAP_NAME_LENGTH) : 8 + u32(EV_LENGTH);
}

/** What a run of records in a ring holds: event records, and the counts carried by dropped records. */
export interface RingRecordCount {
  events: number;
  droppedCounts: number;
}

/** Counts event records and sums dropped-record counts in `[from, from + length)` of a ring (error path only). */
export function countRingRecords(ring: Uint8Array, from: number, length: number): RingRecordCount {
  const cap = ring.length;
  const out: RingRecordCount = { events: 0, droppedCounts: 0 };
  let done = 0;
  while (done < length) {
    const pos = (from + done) % cap;
    const byte = (at: number): number => ring[(pos + at) % cap];
    const n = ringRecordBytes(ring, pos);
    if (n <= 0 || done + n > length) break;
    if (byte(0) !== 0) {
      const dropped = byte(EV_ID) === 0xfe && [1, 2, 3, 4, 5, 6, 7].every((k) => byte(EV_ID + k) === 0xff);
      if (dropped) {
        let count = 0;
        for (let k = 7; k >= 0; k--) count = count * 256 + byte(EV_PAYLOAD + k);
        out.droppedCounts += count;
      } else out.events++;
    }
    done += n;
  }
  return out;
}
