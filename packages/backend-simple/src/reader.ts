// Public face of @unitrace/backend-simple/reader: a streaming, constant-memory reader of simpletrace files.
import { open } from 'node:fs/promises';
import { TraceError } from '@unitrace/core';
import { checkFileHeader, readFileHeader, type SupportedVersion } from './format.js';
import { readBatches } from './read/batches.js';
import { ChunkReader, DEFAULT_CHUNK_BYTES, MIN_CHUNK_BYTES } from './read/chunk-reader.js';
import { IdTable } from './read/id-table.js';
import { RecordIterator } from './read/records.js';
import { Scanner } from './read/scanner.js';
import type { SimpleTrace, SimpleTraceOptions } from './read/types.js';
import { FILE_HEADER_BYTES } from './wire.js';

export { DROPPED_EVENT_DECL } from './read/records.js';
export type {
  SimpleTrace,
  SimpleTraceOptions,
  SimpleTraceRecord,
  SimpleTraceChunk,
  RegistryLookup,
  RegistryTarget,
} from './read/types.js';

async function readHeader(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new TraceError('E_IO', `cannot open trace file ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const bytes = new Uint8Array(FILE_HEADER_BYTES);
    let got = 0;
    while (got < FILE_HEADER_BYTES) {
      const { bytesRead } = await handle.read(bytes, got, FILE_HEADER_BYTES - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < FILE_HEADER_BYTES) {
      throw new TraceError('E_TRACE_FILE', `Error reading header. Wrong filetype provided? (the file has ${got} of the header's ${FILE_HEADER_BYTES} bytes)`, {
        location: { file: path, offset: got },
      });
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Opens a simpletrace file (v4; v2 and v3 with `events`; headerless with `noHeader`) and checks its header.
 * Rejects with TraceError: E_IO when the file cannot be read, E_TRACE_FILE for a bad header or an unsupported
 * version. Reading never holds more than two read buffers of the file in memory (the next read runs while one is
 * decoded).
 */
export async function openSimpleTrace(path: string, options: SimpleTraceOptions = {}): Promise<SimpleTrace> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES) {
    throw new TraceError('E_USAGE', `chunkBytes must be a whole number of at least ${MIN_CHUNK_BYTES}, got ${chunkBytes}`);
  }
  const events = options.events;
  let version: SupportedVersion = 4;
  if (!options.noHeader) {
    const header = await readHeader(path);
    version = checkFileHeader(readFileHeader(new DataView(header.buffer)), path);
    if (version !== 4 && events === undefined) {
      throw new TraceError(
        'E_TRACE_FILE',
        `Log format ${version} not supported without the trace events list: version ${version} files number events by their position in trace-events and carry no names (pass events)`,
        { location: { file: path, offset: 16 } },
      );
    }
  } else if (events === undefined) {
    throw new TraceError('E_USAGE', `${path}: a file without a header numbers events by position: the events list is needed`);
  }
  const positional = options.noHeader === true || version !== 4;
  const start = options.noHeader ? 0 : FILE_HEADER_BYTES;
  const scanner = (): Scanner => {
    const ids = new IdTable(events);
    if (positional) events!.forEach((e, i) => ids.bind(i, 0, BigInt(i), e.name));
    return new Scanner({ file: path, typed: version === 4, positional, eventCount: events?.length ?? 0 }, ids);
  };
  const reader = async (): Promise<ChunkReader> => {
    try {
      return await ChunkReader.open(path, chunkBytes, start);
    } catch (err) {
      throw new TraceError('E_IO', `cannot open trace file ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    file: path,
    version,
    records: () => ({ [Symbol.asyncIterator]: () => new RecordIterator(reader, scanner()) }),
    batches: (lookup, batchOptions) => ({
      [Symbol.asyncIterator]: () => readBatches(reader, scanner(), lookup, batchOptions?.batchBytes),
    }),
  };
}
