// Public face of @unitrace/backend-ust-json/reader: read a ust-json trace (JSON lines or MessagePack) back as records.
import { extname } from 'node:path';
import { TraceError } from '@unitrace/core';
import { fileChunks } from './read/chunks.js';
import { readJsonLines } from './read/json-lines.js';
import { readMsgpackRecords } from './read/msgpack-records.js';
import type { UstRecord } from './read/record-types.js';

export type { UstRecord, UstEventRecord, UstDroppedRecord, UstFieldValue } from './read/record-types.js';
export { DROPPED_RECORD_NAME } from './encode/event-plan.js';

/** Options of `readUstJson`. */
export interface ReadUstJsonOptions {
  /** Force an encoding instead of detecting it from the extension (.msgpack / .json, .jsonl, .ndjson) or first byte. */
  readonly encoding?: 'json' | 'msgpack';
}

const MSGPACK_EXT = new Set(['.msgpack', '.mpk']);
const JSON_EXT = new Set(['.json', '.jsonl', '.ndjson']);

function detect(path: string, first: number | undefined): 'json' | 'msgpack' {
  const ext = extname(path).toLowerCase();
  if (MSGPACK_EXT.has(ext)) return 'msgpack';
  if (JSON_EXT.has(ext) || first === undefined) return 'json';
  if (first === 0x7b || first === 0x20 || first === 0x0a || first === 0x0d || first === 0x09) return 'json';
  if ((first >= 0x80 && first <= 0x8f) || first === 0xde || first === 0xdf) return 'msgpack';
  throw new TraceError('E_TRACE_FILE', `not a ust-json trace (first byte 0x${first.toString(16).padStart(2, '0')})`, {
    location: { file: path, offset: 0 },
  });
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  yield first;
  while (true) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Reads a trace the ust-json sink wrote, streaming with constant memory, and yields its records in file order.
 * Integers come back as numbers, or bigints beyond ±(2^53 − 1): from MessagePack by their type, from JSON lines
 * by rule (without the catalog, a decimal string of 16–20 digits in `fields` whose value lies beyond that range is
 * taken for an integer; a string argument holding exactly such a numeral reads back as a bigint). Pointers stay
 * "0x…" strings. Every record before a corruption is yielded, then TraceError('E_TRACE_FILE') with { file, offset }
 * (and line, for JSON) is thrown; TraceError('E_IO') when the file cannot be read.
 */
export async function* readUstJson(path: string, options: ReadUstJsonOptions = {}): AsyncGenerator<UstRecord, void, undefined> {
  const chunks = fileChunks(path);
  try {
    const first = await chunks.next();
    if (first.done) return;
    const encoding = options.encoding ?? detect(path, first.value[0]);
    const all = prepend(first.value, chunks);
    yield* encoding === 'msgpack' ? readMsgpackRecords(all, path) : readJsonLines(all, path);
  } finally {
    await chunks.return(undefined);
  }
}
