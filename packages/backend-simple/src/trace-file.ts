// Opening a trace file and the bytes a fresh file starts with: the header and every described source's mappings.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { TraceError, type SourceInfo } from '@unitrace/core';
import { mappingRecordBytes, writeFileHeader, writeMappingRecord } from './format.js';
import { FILE_HEADER_BYTES } from './wire.js';

/** An open trace file. */
export interface OpenedFile {
  readonly fd: number;
  /** A regular file: writes are positional, so a failed write can be cut back to a record boundary. */
  readonly seekable: boolean;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Opens `name` for writing, truncating it (QEMU's fopen "wb"). Throws TraceError('E_IO') naming the file; must not
 * be called on the producer's hot path.
 */
export function openTraceFile(name: string): OpenedFile {
  let fd: number;
  try {
    fd = openSync(name, 'w');
  } catch (err) {
    throw new TraceError('E_IO', `backend simple: cannot open trace file ${name}: ${reason(err)}`, { cause: err });
  }
  try {
    return { fd, seekable: fstatSync(fd).isFile() };
  } catch (err) {
    closeQuietly(fd);
    throw new TraceError('E_IO', `backend simple: cannot open trace file ${name}: ${reason(err)}`, { cause: err });
  }
}

/** Closes a descriptor, ignoring errors (the file is being abandoned). */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or never valid: nothing is lost that a later read would not report.
  }
}

/** Mapping records for every event of `sources`, in order; ids are `base + local` (guest events keep their range). */
export function mappingRecords(sources: Iterable<SourceInfo>, withHeader = false): Uint8Array {
  const list = [...sources];
  let size = withHeader ? FILE_HEADER_BYTES : 0;
  for (const s of list) for (const ev of s.events) size += mappingRecordBytes(ev.name);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let o = withHeader ? writeFileHeader(view, 0) : 0;
  for (const s of list) {
    s.events.forEach((ev, local) => {
      o = writeMappingRecord(bytes, view, o, s.base + BigInt(local), ev.name);
    });
  }
  return bytes;
}
