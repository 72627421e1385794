// Public face of @unitrace/backend-simple/format: the simpletrace v4 wire format, shared by the writer and the reader.
import {
  HEADER_EVENT_ID,
  RECORD_TYPE_EVENT,
  RECORD_TYPE_MAPPING,
  SIMPLETRACE_MAGIC,
  SIMPLETRACE_VERSION,
  TraceError,
} from '@unitrace/core';
import {
  DROPPED_ID_HI,
  DROPPED_ID_LO,
  DROPPED_RECORD_BYTES,
  DROPPED_RECORD_LENGTH,
  EV_ID,
  EV_LENGTH,
  EV_PAYLOAD,
  EV_PID,
  EV_TIMESTAMP,
  FILE_HEADER_BYTES,
  HDR_ID,
  HDR_MAGIC,
  HDR_VERSION,
  HEADER_ID_HI,
  HEADER_ID_LO,
  MAGIC_HI,
  MAGIC_LO,
  MAP_ID,
  MAP_NAME,
  MAP_NAME_LENGTH,
} from './wire.js';

export {
  DROPPED_EVENT_ID,
  HEADER_EVENT_ID,
  RECORD_TYPE_EVENT,
  RECORD_TYPE_MAPPING,
  SIMPLETRACE_MAGIC,
  SIMPLETRACE_VERSION,
  MAX_TRACE_STRLEN,
  RECORD_HEADER_BYTES,
} from '@unitrace/core';
export {
  FILE_HEADER_BYTES,
  HDR_ID,
  HDR_MAGIC,
  HDR_VERSION,
  MAP_ID,
  MAP_NAME_LENGTH,
  MAP_NAME,
  EV_ID,
  EV_TIMESTAMP,
  EV_LENGTH,
  EV_PID,
  EV_PAYLOAD,
  EV_LENGTH_BASE,
  DROPPED_RECORD_BYTES,
  DROPPED_RECORD_LENGTH,
  MAX_ARGS,
  MAX_EVENT_LENGTH,
  MAX_NAME_BYTES,
} from './wire.js';

const TWO_32 = 4294967296;

/** Writes the 24-byte file header at `o` (version 4 unless told otherwise); returns the offset after it. */
export function writeFileHeader(view: DataView, o: number, version: number = SIMPLETRACE_VERSION): number {
  view.setUint32(o + HDR_ID, HEADER_ID_LO, true);
  view.setUint32(o + HDR_ID + 4, HEADER_ID_HI, true);
  view.setUint32(o + HDR_MAGIC, MAGIC_LO, true);
  view.setUint32(o + HDR_MAGIC + 4, MAGIC_HI, true);
  view.setUint32(o + HDR_VERSION, version, true);
  view.setUint32(o + HDR_VERSION + 4, 0, true);
  return o + FILE_HEADER_BYTES;
}

/** Bytes a mapping record for `name` takes: 20 plus the name's length (names are ASCII identifiers). */
export function mappingRecordBytes(name: string): number {
  return MAP_NAME + name.length;
}

/**
 * Writes a mapping record (type 0) binding wire id `id` to `name` at `o`; returns the offset after it. The name is
 * written one byte per character: catalog names are `[A-Za-z0-9_]`, so this is their ASCII (and UTF-8) encoding.
 */
export function writeMappingRecord(bytes: Uint8Array, view: DataView, o: number, id: bigint, name: string): number {
  view.setUint32(o, RECORD_TYPE_MAPPING, true);
  view.setUint32(o + 4, 0, true);
  view.setBigUint64(o + MAP_ID, id, true);
  view.setUint32(o + MAP_NAME_LENGTH, name.length, true);
  for (let i = 0; i < name.length; i++) bytes[o + MAP_NAME + i] = name.charCodeAt(i) & 0xff;
  return o + MAP_NAME + name.length;
}

/** A mapping record for `id` → `name` as a new byte array. */
export function encodeMappingRecord(id: bigint, name: string): Uint8Array {
  const bytes = new Uint8Array(mappingRecordBytes(name));
  writeMappingRecord(bytes, new DataView(bytes.buffer), 0, id, name);
  return bytes;
}

/**
 * Writes a dropped record (type 1, id 0xFFFFFFFFFFFFFFFE, length 32, the u64 count) at `o`; returns o + 40.
 * `timeNs` and `count` are numbers (exact below 2^53); no BigInt, so the writer can call it on its hot path.
 */
export function writeDroppedRecord(view: DataView, o: number, timeNs: number, pid: number, count: number): number {
  view.setUint32(o, RECORD_TYPE_EVENT, true);
  view.setUint32(o + 4, 0, true);
  view.setUint32(o + EV_ID, DROPPED_ID_LO, true);
  view.setUint32(o + EV_ID + 4, DROPPED_ID_HI, true);
  view.setUint32(o + EV_TIMESTAMP, timeNs >>> 0, true);
  view.setUint32(o + EV_TIMESTAMP + 4, (timeNs / TWO_32) >>> 0, true);
  view.setUint32(o + EV_LENGTH, DROPPED_RECORD_LENGTH, true);
  view.setUint32(o + EV_PID, pid >>> 0, true);
  view.setUint32(o + EV_PAYLOAD, count >>> 0, true);
  view.setUint32(o + EV_PAYLOAD + 4, (count / TWO_32) >>> 0, true);
  return o + DROPPED_RECORD_BYTES;
}

/** A decoded file header. */
export interface FileHeader {
  readonly id: bigint;
  readonly magic: bigint;
  readonly version: bigint;
}

/** Reads the three u64 words of a file header at `o` (little-endian) without judging them. */
export function readFileHeader(view: DataView, o = 0): FileHeader {
  return {
    id: view.getBigUint64(o + HDR_ID, true),
    magic: view.getBigUint64(o + HDR_MAGIC, true),
    version: view.getBigUint64(o + HDR_VERSION, true),
  };
}

/** Versions a reader can decode: 4 on its own, 2 and 3 with the trace-events list (§5.3). */
export type SupportedVersion = 2 | 3 | 4;

/**
 * Judges a header as simpletrace.py does (§5.4 step 1), in its words where it has them, and returns the version.
 * Throws TraceError('E_TRACE_FILE') located at byte `offset` of `file`. Must not be given fewer than 24 bytes.
 */
export function checkFileHeader(header: FileHeader, file: string, offset = 0): SupportedVersion {
  const at = (message: string, byteOffset = offset): TraceError =>
    new TraceError('E_TRACE_FILE', message, { location: { file, offset: byteOffset } });
  const hex = (v: bigint): string => `0x${v.toString(16)}`;
  if (header.id !== HEADER_EVENT_ID) {
    throw at(`Not a valid trace file, header id ${hex(header.id)} != ${hex(HEADER_EVENT_ID)}`);
  }
  if (header.magic !== SIMPLETRACE_MAGIC) {
    if (header.magic === byteSwap64(SIMPLETRACE_MAGIC)) {
      throw at('Not a valid trace file: it was written on a big-endian host; only little-endian traces are read', offset + HDR_MAGIC);
    }
    throw at(`Not a valid trace file, header magic ${hex(header.magic)} != ${hex(SIMPLETRACE_MAGIC)}`, offset + HDR_MAGIC);
  }
  const v = header.version;
  if (v === 2n || v === 3n || v === 4n) return Number(v) as SupportedVersion;
  if (v === 0n) {
    throw at('Log format 0 not supported with this QEMU release! (version 0 traces of QEMU 0.13–1.1 are not read)', offset + HDR_VERSION);
  }
  throw at(`Unknown version ${v} of tracelog format!`, offset + HDR_VERSION);
}

function byteSwap64(v: bigint): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) out = (out << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** A decoded mapping record. */
export interface MappingRecord {
  readonly id: bigint;
  readonly name: string;
  /** Bytes the record takes, type word included. */
  readonly byteLength: number;
}

const utf8 = new TextDecoder();

/**
 * Decodes the mapping record at `o` (its type word), name as UTF-8 as simpletrace.py decodes it. The caller must
 * have checked that the whole record is inside `bytes`.
 */
export function readMappingRecord(bytes: Uint8Array, view: DataView, o: number): MappingRecord {
  const n = view.getUint32(o + MAP_NAME_LENGTH, true);
  return {
    id: view.getBigUint64(o + MAP_ID, true),
    name: utf8.decode(bytes.subarray(o + MAP_NAME, o + MAP_NAME + n)),
    byteLength: MAP_NAME + n,
  };
}

/** True when the event record at `o` is a dropped record (reserved id 0xFFFFFFFFFFFFFFFE). */
export function isDroppedRecord(view: DataView, o: number): boolean {
  return view.getUint32(o + EV_ID, true) === DROPPED_ID_LO && view.getUint32(o + EV_ID + 4, true) === DROPPED_ID_HI;
}

/** The count of the dropped record at `o`, as a number (exact below 2^53). */
export function readDroppedCount(view: DataView, o: number): number {
  return view.getUint32(o + EV_PAYLOAD, true) + view.getUint32(o + EV_PAYLOAD + 4, true) * TWO_32;
}
