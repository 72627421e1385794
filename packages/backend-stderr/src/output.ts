// Where the bytes go: a file descriptor (written with fs.writeSync / fs.write) or a stream's write().
import { closeSync, openSync, write as fsWrite, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { TraceError } from '@unitrace/core';
import type { ResolvedOptions, StderrSinkStream } from './options.js';

/** Called when an asynchronous write ends: the error, or the number of bytes the destination took. */
export type WriteDone = (err: NodeJS.ErrnoException | null, written: number) => void;

/** A destination. `writeSync` throws the system error; nothing else throws. */
export interface Output {
  /** How messages name the destination: `stderr`, `fd 5`, a file path or `stream`. */
  readonly label: string;
  /** True for a terminal. */
  readonly isTTY: boolean;
  /** Writes some of `bytes[start, start + length)`; returns how many were taken. Throws the system error. */
  writeSync(bytes: Uint8Array, start: number, length: number): number;
  /** Starts a write; `done` is called once, later. The bytes must stay untouched until then. */
  writeAsync(bytes: Uint8Array, start: number, length: number, done: WriteDone): void;
  /** Releases what the sink opened itself (a file); leaves descriptors and streams it was given alone. */
  close(): void;
}

class FdOutput implements Output {
  readonly label: string;
  readonly isTTY: boolean;
  readonly #fd: number;
  readonly #owned: boolean;
  #closed = false;

  constructor(fd: number, label: string, owned: boolean, isTTY?: boolean) {
    this.#fd = fd;
    this.label = label;
    this.#owned = owned;
    this.isTTY = isTTY ?? safeIsatty(fd);
  }

  writeSync(bytes: Uint8Array, start: number, length: number): number {
    return writeSync(this.#fd, bytes, start, length);
  }

  writeAsync(bytes: Uint8Array, start: number, length: number, done: WriteDone): void {
    fsWrite(this.#fd, bytes, start, length, null, (err, written) => done(err, written));
  }

  close(): void {
    if (this.#closed || !this.#owned) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

class StreamOutput implements Output {
  readonly label = 'stream';
  readonly isTTY: boolean;
  readonly #stream: StderrSinkStream;
  readonly #onError: (err: Error) => void;

  constructor(stream: StderrSinkStream, onStreamError: (err: Error) => void) {
    this.#stream = stream;
    this.isTTY = stream.isTTY === true;
    this.#onError = onStreamError;
    stream.on?.('error', onStreamError);
  }

  // A stream may keep the chunk after write() returns, so it always gets a copy of the reused buffer.
  writeSync(bytes: Uint8Array, start: number, length: number): number {
    this.#stream.write(Buffer.from(bytes.subarray(start, start + length)), (err) => {
      if (err) this.#onError(err);
    });
    return length;
  }

  writeAsync(bytes: Uint8Array, start: number, length: number, done: WriteDone): void {
    let called = false;
    try {
      this.#stream.write(Buffer.from(bytes.subarray(start, start + length)), (err) => {
        if (called) return;
        called = true;
        done(err ? (err as NodeJS.ErrnoException) : null, err ? 0 : length);
      });
    } catch (err) {
      if (called) return;
      called = true;
      queueMicrotask(() => done(err as NodeJS.ErrnoException, 0));
    }
  }

  close(): void {
    this.#stream.off?.('error', this.#onError);
  }
}

function safeIsatty(fd: number): boolean {
  try {
    return isatty(fd);
  } catch {
    return false;
  }
}

/**
 * Opens the destination the options name. A file is created or truncated now (QEMU's `-D` truncates too); failing
 * to open it throws TraceError('E_IO'). A stream with a numeric `fd` is written through that descriptor.
 * `onStreamError` receives a stream's asynchronous errors.
 */
export function openOutput(options: ResolvedOptions, onStreamError: (err: Error) => void): Output {
  if (options.file !== undefined) {
    let fd: number;
    try {
      fd = openSync(options.file, 'w', 0o666);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new TraceError('E_IO', `backend stderr: cannot open ${options.file}: ${reason}`, { cause: err });
    }
    return new FdOutput(fd, options.file, true);
  }
  const stream = options.stream;
  if (stream !== undefined) {
    if (typeof stream.fd === 'number' && Number.isInteger(stream.fd) && stream.fd >= 0) {
      return new FdOutput(stream.fd, stream.fd === 2 ? 'stderr' : `fd ${stream.fd}`, false, stream.isTTY ?? undefined);
    }
    return new StreamOutput(stream, onStreamError);
  }
  const fd = options.fd ?? 2;
  return new FdOutput(fd, fd === 2 ? 'stderr' : `fd ${fd}`, false);
}
