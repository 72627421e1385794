// Reading a file in fixed-size chunks, so that readers hold one chunk (plus one partial record) at a time.
import { open } from 'node:fs/promises';
import { TraceError } from '@unitrace/core';

/** Bytes read per chunk. */
export const READ_CHUNK_BYTES: number = 64 * 1024;
/**
 * The longest record a reader buffers before it calls the file corrupt: far beyond the largest record the sink
 * writes (ten 512-byte strings, escaped), small enough that a wrong file cannot take the memory.
 */
export const MAX_RECORD_BYTES_READ: number = 8 * 1024 * 1024;

/** Yields the file's bytes chunk by chunk (each a fresh Buffer). Throws TraceError('E_IO') when it cannot read. */
export async function* fileChunks(path: string): AsyncGenerator<Buffer, void, undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw ioError(path, err);
  }
  try {
    while (true) {
      const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let n: number;
      try {
        n = (await handle.read(buf, 0, buf.length, null)).bytesRead;
      } catch (err) {
        throw ioError(path, err);
      }
      if (n === 0) return;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function ioError(path: string, err: unknown): TraceError {
  const reason = err instanceof Error ? err.message : String(err);
  return new TraceError('E_IO', `cannot read ${path}: ${reason}`, { cause: err });
}
