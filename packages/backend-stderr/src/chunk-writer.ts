// Gets buffered lines out: synchronous writes, or one asynchronous write in flight with a second buffer filling.
import { LineBuffer, type LineLoss } from './line-buffer.js';
import type { Output } from './output.js';

/** How long a synchronous write retries a destination that answers EAGAIN (a full non-blocking pipe or tty). */
export const EAGAIN_RETRY_MS = 1000;

/** What the writer tells its sink. None of these may throw. */
export interface ChunkWriterEvents {
  /** Lines that could not be written: `records` event lines, and notices that stood for `noticed` dropped events. */
  lost(records: number, noticed: number): void;
  /** A write failed (the caller reports the first one). */
  failed(err: unknown): void;
  /** The destination took `n` bytes. */
  wrote(n: number): void;
  /**
   * An asynchronous write finished (`ok`: without an error) and the writer is about to write what is pending: a
   * chance to add a notice. After a failure the sink should wait for new lines, or every retry would fail again.
   */
  idle(ok: boolean): void;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function isEagain(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EAGAIN';
}

/**
 * Owns the line buffers of one sink. The sink renders into `pending`; `submit()` hands it to the destination:
 * at once and completely in sync mode, or, in async mode, by swapping it with the idle buffer and starting one
 * fs.write (a second submit while one is in flight only lets `pending` grow). Never throws.
 */
export class ChunkWriter {
  /** Where the sink renders lines. Replaced by the other buffer when an async write starts. */
  pending: LineBuffer;
  readonly #a: LineBuffer;
  readonly #b: LineBuffer;
  #inflight: LineBuffer | undefined;
  #offset = 0;
  #eagainMs = 0;
  readonly #output: Output;
  readonly #sync: boolean;
  readonly #events: ChunkWriterEvents;
  readonly #loss: LineLoss = { records: 0, noticed: 0 };
  #waiters: Array<() => void> = [];
  #closed = false;
  #scheduled = false;

  constructor(output: Output, sync: boolean, capacity: number, events: ChunkWriterEvents) {
    this.#output = output;
    this.#sync = sync;
    this.#events = events;
    this.#a = new LineBuffer(capacity);
    // Sync mode writes a buffer before it returns, so it never needs the second one.
    this.#b = sync ? this.#a : new LineBuffer(capacity);
    this.pending = this.#a;
  }

  /** True while an asynchronous write is in flight. */
  get busy(): boolean {
    return this.#inflight !== undefined;
  }

  /**
   * Writes what is pending now (sync), or has it written soon (async): the write starts on the next turn of the
   * event loop unless one is in flight, so that an exit hook running before then still finds the bytes pending and
   * writes them itself (`flushSync`).
   */
  submit(): void {
    if (this.pending.length === 0 || this.#closed) return;
    if (this.#sync) {
      this.#writeAllSync(this.pending);
      this.pending.reset();
      return;
    }
    if (this.#inflight !== undefined || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#kick);
  }

  readonly #kick = (): void => {
    this.#scheduled = false;
    this.#startNow();
  };

  #startNow(): void {
    if (this.#inflight !== undefined || this.#closed) return;
    if (this.pending.length === 0) {
      this.#release();
      return;
    }
    // Nothing is in flight, so the other buffer is empty: it fills while this one is written.
    const chunk = this.pending;
    this.pending = chunk === this.#a ? this.#b : this.#a;
    this.#inflight = chunk;
    this.#offset = 0;
    this.#eagainMs = 0;
    this.#start();
  }

  /**
   * Writes what is pending synchronously, even in async mode (the exit path). A write already in flight is left to
   * the thread pool that runs it; it was issued first, so it normally lands first.
   */
  flushSync(): void {
    if (this.pending.length === 0 || this.#closed) return;
    this.#writeAllSync(this.pending);
    this.pending.reset();
  }

  /** Resolves once everything submitted so far and everything pending is written (or lost). Never rejects. */
  flush(): Promise<void> {
    if (!this.#sync) this.#startNow();
    else this.submit();
    if (this.#inflight === undefined && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Writes what is pending synchronously, then stops writing for good. Call after `flush()` has resolved. */
  close(): void {
    if (this.#closed) return;
    this.flushSync();
    this.#closed = true;
    this.#release();
  }

  #writeAllSync(chunk: LineBuffer): void {
    const bytes = chunk.out.bytes;
    const end = chunk.length;
    let off = 0;
    let waited = 0;
    while (off < end) {
      try {
        const n = this.#output.writeSync(bytes, off, end - off);
        off += n;
        this.#events.wrote(n);
      } catch (err) {
        if (isEagain(err) && waited < EAGAIN_RETRY_MS) {
          Atomics.wait(sleepCell, 0, 0, 1);
          waited++;
          continue;
        }
        this.#fail(err, chunk, off);
        return;
      }
    }
  }

  #start(): void {
    const chunk = this.#inflight!;
    this.#output.writeAsync(chunk.out.bytes, this.#offset, chunk.length - this.#offset, this.#done);
  }

  readonly #done = (err: NodeJS.ErrnoException | null, written: number): void => {
    const chunk = this.#inflight;
    if (chunk === undefined) return;
    const ok = err === null;
    if (err) {
      if (isEagain(err) && this.#eagainMs < EAGAIN_RETRY_MS) {
        this.#eagainMs++;
        setTimeout(() => this.#start(), 1);
        return;
      }
      this.#fail(err, chunk, this.#offset);
    } else {
      this.#offset += written;
      this.#events.wrote(written);
      if (this.#offset < chunk.length) {
        this.#start();
        return;
      }
    }
    chunk.reset();
    this.#inflight = undefined;
    this.#events.idle(ok);
    if (this.pending.length > 0 && !this.#closed) this.submit();
    else this.#release();
  };

  #fail(err: unknown, chunk: LineBuffer, offset: number): void {
    chunk.lossAfter(offset, this.#loss);
    this.#events.lost(this.#loss.records, this.#loss.noticed);
    this.#events.failed(err);
  }

  #release(): void {
    if (!this.#closed && (this.#inflight !== undefined || this.pending.length > 0)) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
