// Where the encoded bytes go: a file descriptor (file, stdout, stderr) behind a small interface tests can replace.
import { closeSync, fstatSync, openSync, write, writeSync } from 'node:fs';
import { TraceError } from '@unitrace/core';

/** Completion of an asynchronous write: the error, or how many bytes the operating system took. */
export type WriteCallback = (err: Error | null, written: number) => void;

/** A byte destination. Implementations never throw from `write` (errors go to the callback). */
export interface Destination {
  /** What to call it in messages (the path, `stdout`, `stderr`). */
  readonly name: string;
  /**
   * True when writes carry their file offset (regular files we opened): a synchronous write issued while an
   * asynchronous one is still in flight then cannot reorder the file.
   */
  readonly positioned: boolean;
  /** Starts writing `buf[offset, offset + length)` at `position` (null: the current offset). */
  write(buf: Uint8Array, offset: number, length: number, position: number | null, cb: WriteCallback): void;
  /** Writes synchronously and returns the bytes written; throws the system error. */
  writeSync(buf: Uint8Array, offset: number, length: number, position: number | null): number;
  /** Releases the destination (stdout and stderr stay open). Never throws. */
  close(): void;
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

class FdDestination implements Destination {
  readonly name: string;
  readonly positioned: boolean;
  readonly #fd: number;
  readonly #owned: boolean;
  #closed = false;

  constructor(name: string, fd: number, owned: boolean) {
    this.name = name;
    this.#fd = fd;
    this.#owned = owned;
    this.positioned = owned && isRegularFile(fd);
  }

  write(buf: Uint8Array, offset: number, length: number, position: number | null, cb: WriteCallback): void {
    try {
      write(this.#fd, buf, offset, length, position, (err, written) => cb(err, written));
    } catch (err) {
      queueMicrotask(() => cb(err instanceof Error ? err : new Error(String(err)), 0));
    }
  }

  writeSync(buf: Uint8Array, offset: number, length: number, position: number | null): number {
    return writeSync(this.#fd, buf, offset, length, position);
  }

  close(): void {
    if (this.#closed || !this.#owned) return;
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } catch {
      // Nothing is left to lose once the last write has been issued; a failing close has no one to tell.
    }
  }
}

/**
 * Opens the destination named by the `file` option: `stdout` and `stderr` are fds 1 and 2 (never closed), anything
 * else a path opened for writing (created or truncated). Throws TraceError('E_IO') when the path cannot be opened.
 */
export function openDestination(file: string): Destination {
  if (file === 'stdout') return new FdDestination('stdout', 1, false);
  if (file === 'stderr') return new FdDestination('stderr', 2, false);
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TraceError('E_IO', `ust-json: cannot open ${file}: ${reason}`, { cause: err });
  }
  return new FdDestination(file, fd, true);
}
