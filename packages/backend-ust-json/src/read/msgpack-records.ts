// MessagePack records, streamed: msgpackr's Unpackr over chunks, keeping only an incomplete tail between chunks.
import { TraceError } from '@unitrace/core';
import type { Unpackr } from 'msgpackr';
import { MAX_RECORD_BYTES_READ } from './chunks.js';
import type { UstRecord } from './record-types.js';
import { reviveRecord, setOwn } from './revive.js';

let unpackr: Unpackr | undefined;

// Loaded on the first MessagePack file only: writing, and reading JSON lines, never need msgpackr.
// Maps as Map objects: msgpackr would rename an own `__proto__` key to `__proto_`, and event fields are named by
// the catalog. 64-bit integers as bigint (narrowed to numbers by reviveRecord). Binary copied out of the chunk.
async function getUnpackr(): Promise<Unpackr> {
  if (unpackr === undefined) {
    const { Unpackr } = await import('msgpackr');
    unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, copyBuffers: true, int64AsType: 'bigint' });
  }
  return unpackr;
}

// A record nests two levels of maps (fields, fields_raw); deeper maps stay Maps and fail validation.
function toPlain(v: unknown, depth: number): unknown {
  if (!(v instanceof Map) || depth > 2) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of v) {
    if (typeof k !== 'string') throw new Error(`a map key is not a string: ${String(k)}`);
    setOwn(out, k, toPlain(x, depth + 1));
  }
  return out;
}

function corrupt(file: string, offset: number, message: string, cause?: unknown): TraceError {
  return new TraceError('E_TRACE_FILE', message, { location: { file, offset }, cause });
}

interface Decoded {
  value: unknown;
  start: number;
}

/**
 * Decodes MessagePack maps written back to back. Every record before a corruption is yielded before the
 * TraceError('E_TRACE_FILE', location { file, offset }); a file that ends inside a record is reported as truncated.
 */
export async function* readMsgpackRecords(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<UstRecord, void, undefined> {
  const unpackr = await getUnpackr();
  let tail: Buffer = Buffer.alloc(0);
  let tailOffset = 0; // file offset of tail[0]
  for await (const chunk of chunks) {
    const buf = tail.length > 0 ? Buffer.concat([tail, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const decoded: Decoded[] = [];
    let consumed = 0;
    let failure: { offset: number; err: unknown } | undefined;
    try {
      unpackr.unpackMultiple(buf, (value: unknown, start?: number, end?: number) => {
        decoded.push({ value, start: start ?? consumed });
        consumed = end ?? consumed;
      });
    } catch (err) {
      const e = err as { incomplete?: boolean; lastPosition?: number };
      const at = typeof e.lastPosition === 'number' ? e.lastPosition : consumed;
      if (e.incomplete === true) consumed = at;
      else failure = { offset: tailOffset + at, err };
    }
    for (const d of decoded) {
      let rec: UstRecord;
      try {
        rec = reviveRecord(toPlain(d.value, 0), 'msgpack');
      } catch (err) {
        throw corrupt(file, tailOffset + d.start, err instanceof Error ? err.message : String(err), err);
      }
      yield rec;
    }
    if (failure !== undefined) {
      const reason = failure.err instanceof Error ? failure.err.message : String(failure.err);
      throw corrupt(file, failure.offset, `not a MessagePack record (${reason})`, failure.err);
    }
    tail = buf.subarray(consumed);
    tailOffset += consumed;
    if (tail.length > MAX_RECORD_BYTES_READ) throw corrupt(file, tailOffset, `record longer than ${MAX_RECORD_BYTES_READ} bytes`);
    if (tail.length > 0) tail = Buffer.from(tail);
  }
  if (tail.length > 0) throw corrupt(file, tailOffset, `file ends inside a record (${tail.length} bytes left)`);
}
