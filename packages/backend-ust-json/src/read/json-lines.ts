// JSON lines, streamed: split chunks at '\n', parse each line, revive its integers; errors carry line and offset.
import { TraceError } from '@unitrace/core';
import { MAX_RECORD_BYTES_READ } from './chunks.js';
import type { UstRecord } from './record-types.js';
import { reviveRecord } from './revive.js';

const NEWLINE = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function corrupt(file: string, line: number, offset: number, message: string, cause?: unknown): TraceError {
  return new TraceError('E_TRACE_FILE', message, { location: { file, line, offset }, cause });
}

function parseLine(bytes: Uint8Array, file: string, line: number, offset: number): UstRecord | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (err) {
    throw corrupt(file, line, offset, 'line is not valid UTF-8', err);
  }
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw corrupt(file, line, offset, `line is not JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  try {
    return reviveRecord(value, 'json');
  } catch (err) {
    throw corrupt(file, line, offset, err instanceof Error ? err.message : String(err), err);
  }
}

/**
 * Decodes JSON lines from a stream of chunks. Every record before a bad line is yielded before the TraceError
 * ('E_TRACE_FILE', location { file, line, offset }) for it. Blank lines are skipped; a last line without '\n' counts.
 */
export async function* readJsonLines(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<UstRecord, void, undefined> {
  // The start of a line that runs past a chunk, kept as pieces so a long line is copied once, not once per chunk.
  const carry: Uint8Array[] = [];
  let carryBytes = 0;
  let lineOffset = 0; // file offset of the current line
  let line = 1;
  for await (const chunk of chunks) {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    while (nl >= 0) {
      let bytes = chunk.subarray(start, nl);
      if (carry.length > 0) {
        carry.push(bytes);
        bytes = Buffer.concat(carry);
        carry.length = 0;
        carryBytes = 0;
      }
      const rec = parseLine(bytes, file, line, lineOffset);
      if (rec !== undefined) yield rec;
      lineOffset += bytes.length + 1;
      line++;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carryBytes += chunk.length - start;
      if (carryBytes > MAX_RECORD_BYTES_READ) {
        throw corrupt(file, line, lineOffset, `line longer than ${MAX_RECORD_BYTES_READ} bytes: not a ust-json trace`);
      }
    }
  }
  if (carry.length > 0) {
    const rec = parseLine(Buffer.concat(carry), file, line, lineOffset);
    if (rec !== undefined) yield rec;
  }
}
