// Buffered byte output to stdout or a file, with backpressure, so a command streams any amount in constant memory.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ByteWriter, TraceError } from '@unitrace/core';

/** Bytes gathered before one write. */
const CHUNK = 64 * 1024;

/** Where the bytes go: a stream (stdout), or a file descriptor written synchronously through one reused buffer. */
type Destination = { readonly kind: 'stream'; readonly stream: Writable } | { readonly kind: 'fd'; readonly fd: number };

const ioError = (name: string, err: unknown): TraceError =>
  new TraceError('E_IO', `cannot write ${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });

/**
 * Where a command writes: lines are appended to `buf` and written out in 64 KiB chunks. A file is written with
 * blocking writes from the one buffer (a CLI may block; nothing is allocated per chunk); stdout goes through its
 * stream, and a producer calls `ready()` after `flushIfFull()` so that it never runs ahead of a slow reader. A
 * closed pipe (`| head`) is not an error: `broken` turns true and later writes are discarded. Must not be shared
 * between commands.
 */
export class Output {
  /** The pending bytes; append with `text()` or `buf.push…`, then call `flushIfFull()`. */
  readonly buf: ByteWriter = new ByteWriter(CHUNK + 16 * 1024);
  readonly #dest: Destination;
  readonly #name: string;
  #error: TraceError | undefined;
  #broken = false;
  #closed = false;

  constructor(dest: Destination, name: string) {
    this.#dest = dest;
    this.#name = name;
    if (dest.kind === 'stream') {
      dest.stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') this.#broken = true;
        else this.#error ??= ioError(name, err);
      });
    }
  }

  /** True once the reader of a pipe went away; a command stops producing then. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Appends ASCII or Latin-1 text (one byte per char). Call `flushIfFull()` after a few appends. */
  text(s: string): void {
    this.buf.pushAscii(s);
  }

  /** Writes the pending bytes out once a chunk has gathered; true when it did (then await `ready()`). */
  flushIfFull(): boolean {
    if (this.buf.length < CHUNK) return false;
    this.#flush();
    return true;
  }

  #flush(): void {
    const n = this.buf.length;
    if (n === 0) return;
    const dest = this.#dest;
    if (!this.#broken && this.#error === undefined) {
      if (dest.kind === 'stream') dest.stream.write(Buffer.from(this.buf.bytes.subarray(0, n)));
      else {
        try {
          for (let o = 0; o < n; ) o += writeSync(dest.fd, this.buf.bytes, o, n - o);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') this.#broken = true;
          else this.#error ??= ioError(this.#name, err);
        }
      }
    }
    this.buf.reset();
  }

  /** Hands everything pending on and waits until more can be taken. Rejects with E_IO on a failure. */
  async flush(): Promise<void> {
    this.#flush();
    await this.ready();
  }

  /** Resolves when the destination can take more; rejects with E_IO when a write failed. */
  async ready(): Promise<void> {
    this.#check();
    const dest = this.#dest;
    if (dest.kind === 'stream' && dest.stream.writableNeedDrain && !this.#broken) {
      const s = dest.stream;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          s.off('drain', done);
          s.off('error', done);
          s.off('close', done);
          resolve();
        };
        s.on('drain', done).on('error', done).on('close', done);
      });
    }
    this.#check();
  }

  #check(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** Writes what is pending and waits until the bytes reached the operating system. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return this.#check();
    this.#closed = true;
    this.#flush();
    const dest = this.#dest;
    if (dest.kind === 'fd') {
      try {
        closeSync(dest.fd);
      } catch (err) {
        this.#error ??= ioError(this.#name, err);
      }
    } else if (!this.#broken) {
      const s = dest.stream;
      await new Promise<void>((resolve) => {
        s.write('', () => resolve());
        s.once('error', () => resolve());
      });
    }
    this.#check();
  }
}

/** Opens `path` for writing (truncating it), or stdout for undefined or `-`. Throws E_IO when it cannot be opened. */
export function openOutput(path: string | undefined): Output {
  if (path === undefined || path === '-') return new Output({ kind: 'stream', stream: process.stdout }, 'stdout');
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw ioError(path, err);
  }
  return new Output({ kind: 'fd', fd }, path);
}
