// Buffered byte output to stdout or a file, with backpressure, so a command streams any amount in constant memory.
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Writable } from 'node:stream';
import { ByteWriter, TraceError } from '@unitrace/core';

/** Bytes gathered before one write. */
const CHUNK = 64 * 1024;

/**
 * Where the bytes go: a stream (stdout on a pipe or a terminal), or a file descriptor written synchronously from the
 * buffer itself (`own`: closed at the end; stdout redirected to a file is not).
 */
type Destination = { readonly kind: 'stream'; readonly stream: Writable } | { readonly kind: 'fd'; readonly fd: number; readonly own?: boolean };

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
  /** Chunk copies a stream has finished with, reused: a fresh 64 KiB Buffer per write cost more than formatting it. */
  readonly #spare: Buffer[] = [];

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

  /**
   * Writes whole 64 KiB chunks out once one has gathered, keeping the rest (less than a chunk) for later; true when
   * it wrote (then await `ready()`).
   */
  flushIfFull(): boolean {
    if (this.buf.length < CHUNK) return false;
    this.#flush(this.buf.length - (this.buf.length % CHUNK));
    return true;
  }

  /** Writes the first `n` pending bytes (all of them by default) and keeps the rest. */
  #flush(n: number = this.buf.length): void {
    if (n === 0) return;
    const dest = this.#dest;
    if (!this.#broken && this.#error === undefined) {
      if (dest.kind === 'stream') this.#toStream(dest.stream, n);
      else {
        try {
          for (let o = 0; o < n; ) o += writeSync(dest.fd, this.buf.bytes, o, n - o);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') this.#broken = true;
          else this.#error ??= ioError(this.#name, err);
        }
      }
    }
    // Keeps file writes page-aligned: what is left is less than a chunk, so moving it costs little.
    this.buf.consume(n);
  }

  /** Copies the first `n` pending bytes into a chunk the stream may keep until it has written them. */
  #toStream(stream: Writable, n: number): void {
    const chunk = n === CHUNK ? (this.#spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK)) : Buffer.allocUnsafeSlow(n);
    chunk.set(n === this.buf.bytes.length ? this.buf.bytes : this.buf.bytes.subarray(0, n));
    const spare = this.#spare;
    // The callback runs once the stream is done with the chunk; a few are kept, however many were in flight.
    stream.write(chunk, n === CHUNK ? () => void (spare.length < 4 && spare.push(chunk)) : undefined);
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
        if (dest.own !== false) closeSync(dest.fd);
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
  if (path === undefined || path === '-') {
    // Redirected to a file or a device such as /dev/null, stdout is written like a file: blocking writes straight
    // from the buffer (process.stdout would copy every chunk, and write synchronously all the same).
    if (!isatty(1)) {
      try {
        const st = fstatSync(1);
        if (st.isFile() || st.isCharacterDevice()) return new Output({ kind: 'fd', fd: 1, own: false }, 'stdout');
      } catch {
        // No usable fd 1: the stream reports what goes wrong.
      }
    }
    return new Output({ kind: 'stream', stream: process.stdout }, 'stdout');
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw ioError(path, err);
  }
  return new Output({ kind: 'fd', fd }, path);
}
