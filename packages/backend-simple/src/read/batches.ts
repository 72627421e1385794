// The batch view of a trace file: event records copied into a BatchWriter for sinks, dropped records in between.
import { BatchWriter, DEFAULT_BATCH_BYTES, MAX_RECORD_BYTES, RECORD_TYPE_EVENT, TraceError } from '@unitrace/core';
import { EV_LENGTH_BASE } from '../wire.js';
import type { ChunkReader } from './chunk-reader.js';
import { checkWith, type IdEntry } from './id-table.js';
import { quoteName } from './quote.js';
import { DROPPED, NEED_MORE, type Scanner } from './scanner.js';
import type { RegistryLookup, SimpleTraceChunk } from './types.js';

/** Resolves an id's registry target the first time a record of it is met; throws for a name the registry lacks. */
function resolver(lookup: RegistryLookup, file: string): (entry: IdEntry, offset: number) => void {
  return (entry, offset) => {
    const target = lookup(entry.name);
    if (target === undefined) {
      throw new TraceError('E_TRACE_FILE', `${quoteName(entry.name)} event is logged but the catalog it is converted with does not declare it`, {
        location: { file, offset },
      });
    }
    if (typeof target === 'number') {
      entry.targetIndex = target;
      return;
    }
    entry.targetIndex = target.index;
    entry.targetLo = target.idLo;
    entry.targetHi = target.idHi;
    if (entry.check === undefined && target.decl !== undefined) checkWith(entry, target.decl);
  };
}

/**
 * Yields batches of at most `batchBytes` of records. Consecutive v4 records are copied with one `set` per run (ids
 * rewritten in the read buffer first); v2/v3 records get their type word added one by one.
 */
export async function* readBatches(
  open: () => Promise<ChunkReader>,
  scanner: Scanner,
  lookup: RegistryLookup,
  batchBytes: number = DEFAULT_BATCH_BYTES,
): AsyncGenerator<SimpleTraceChunk, void, undefined> {
  const w = new BatchWriter(Math.max(batchBytes, MAX_RECORD_BYTES));
  const chunk: SimpleTraceChunk = { kind: 'batch', batch: w };
  const typed = scanner.layout.typed;
  scanner.onFirstUse = resolver(lookup, scanner.layout.file);
  const r = await open();
  let runFrom = 0;
  let runTo = 0;
  let runDst = 0;
  const flushRun = (): void => {
    if (runTo > runFrom) w.bytes.set(r.bytes.subarray(runFrom, runTo), runDst);
    runFrom = runTo = 0;
  };
  try {
    for (;;) {
      await r.fill();
      let failure: unknown;
      try {
        for (let kind = scanner.next(r); kind !== NEED_MORE; kind = scanner.next(r)) {
          const b = scanner.body;
          const size = 8 + scanner.length;
          if (kind === DROPPED) {
            flushRun();
            if (w.count > 0) {
              yield chunk;
              w.reset();
            }
            // Drops are rare (one record per lost stretch), so exact BigInt copies cost nothing that matters.
            const v = r.view;
            const timeNs = v.getUint32(b + 8, true) + v.getUint32(b + 12, true) * 4294967296;
            const count = v.getUint32(b + EV_LENGTH_BASE, true) + v.getUint32(b + EV_LENGTH_BASE + 4, true) * 4294967296;
            yield {
              kind: 'dropped',
              count,
              timeNs,
              offset: r.offsetOf(scanner.start),
              pid: v.getUint32(b + 20, true),
              timestampNs: v.getBigUint64(b + 8, true),
              exactCount: v.getBigUint64(b + EV_LENGTH_BASE, true),
            };
            continue;
          }
          const e = scanner.entry!;
          if (w.free < size) {
            flushRun();
            yield chunk;
            w.reset();
          }
          if (e.targetLo >= 0) {
            r.view.setUint32(b, e.targetLo, true);
            r.view.setUint32(b + 4, e.targetHi, true);
          }
          const o = w.byteLength;
          if (typed) {
            if (runTo !== scanner.start || runTo === 0) {
              flushRun();
              runFrom = scanner.start;
              runDst = o;
            }
            runTo = scanner.start + size;
          } else {
            w.view.setUint32(o, RECORD_TYPE_EVENT, true);
            w.view.setUint32(o + 4, 0, true);
            w.bytes.set(r.bytes.subarray(b, b + scanner.length), o + 8);
          }
          w.adopt(o, size, e.targetIndex, -1);
        }
        flushRun();
        if (r.eof && r.available > 0) throw scanner.truncated(r);
      } catch (err) {
        failure = err;
      }
      if (failure !== undefined) {
        flushRun();
        if (w.count > 0) yield chunk;
        throw failure;
      }
      if (r.eof) break;
    }
    if (w.count > 0) yield chunk;
  } finally {
    await r.close();
  }
}
