// Sealed chunks on their way to a destination: one asynchronous write at a time (or synchronous writes), in order.
import type { Destination } from './destination.js';

/** A sealed run of complete records. */
export interface Chunk {
  readonly buf: Uint8Array;
  /** Bytes of `buf` in use. */
  readonly length: number;
  /** Records (not counting dropped records) it holds: what is lost if it cannot be written. */
  readonly records: number;
  /** File offset of its first byte (used only by positioned destinations). */
  readonly position: number;
  /** Bytes already written. */
  done: number;
  /** Rewritten synchronously while its asynchronous write was in flight: the late callback only frees it. */
  abandoned: boolean;
}

/** What the queue tells its owner. */
export interface ChunkQueueEvents {
  /** Bytes the operating system accepted. */
  written(bytes: number): void;
  /** The first write failure: `lostRecords` were in the failed chunk and behind it. Called once. */
  failed(err: unknown, lostRecords: number): void;
  /** A buffer that may be reused (never one an asynchronous write may still read). */
  release(buf: Uint8Array): void;
}

// How long a synchronous write waits for a non-blocking pipe or terminal to take bytes again before it gives up.
const EAGAIN_RETRY_MS = 10_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes chunks in order. Asynchronous mode keeps one `write` in flight and queues the rest; synchronous mode
 * writes each chunk as it is pushed. After the first failure everything queued is counted lost and nothing more is
 * written.
 */
export class ChunkQueue {
  readonly #dest: Destination;
  readonly #sync: boolean;
  readonly #events: ChunkQueueEvents;
  readonly #queued: Chunk[] = [];
  #inFlight: Chunk | undefined;
  #bytes = 0;
  #failed = false;
  #waiters: Array<() => void> = [];

  constructor(dest: Destination, sync: boolean, events: ChunkQueueEvents) {
    this.#dest = dest;
    this.#sync = sync;
    this.#events = events;
  }

  /** Bytes queued or in flight, not yet accepted by the operating system. */
  get bufferedBytes(): number {
    return this.#bytes;
  }

  /** True after a write failed. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Queues a chunk and writes it (now, in synchronous mode). */
  push(chunk: Chunk): void {
    if (this.#failed) {
      this.#events.release(chunk.buf);
      return;
    }
    this.#queued.push(chunk);
    this.#bytes += chunk.length;
    if (this.#sync) this.flushSync();
    else if (this.#inFlight === undefined) this.#next();
  }

  /** Queues a chunk without starting a write: the caller calls `flushSync` next. */
  pushQuiet(chunk: Chunk): void {
    if (this.#failed) {
      this.#events.release(chunk.buf);
      return;
    }
    this.#queued.push(chunk);
    this.#bytes += chunk.length;
  }

  /** Resolves when nothing is queued or in flight (or the queue has failed). Never rejects. */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Writes everything queued synchronously, in order. A chunk whose asynchronous write is in flight is rewritten
   * first when the destination is positioned (same bytes at the same offset); otherwise it is left to finish.
   */
  flushSync(): void {
    if (this.#failed) return;
    const flying = this.#inFlight;
    if (flying !== undefined && this.#dest.positioned) {
      flying.abandoned = true;
      this.#inFlight = undefined;
      this.#bytes -= flying.length - flying.done;
      if (!this.#writeAllSync(flying)) return;
    }
    while (this.#queued.length > 0) {
      const chunk = this.#queued.shift()!;
      this.#bytes -= chunk.length;
      if (!this.#writeAllSync(chunk)) return;
      this.#events.release(chunk.buf);
    }
    this.#wake();
  }

  #writeAllSync(chunk: Chunk): boolean {
    let waited = 0;
    while (chunk.done < chunk.length) {
      let n: number;
      try {
        n = this.#dest.writeSync(chunk.buf, chunk.done, chunk.length - chunk.done, this.#positionOf(chunk));
      } catch (err) {
        if ((err as { code?: unknown }).code === 'EAGAIN' && waited < EAGAIN_RETRY_MS) {
          Atomics.wait(sleeper, 0, 0, 1);
          waited++;
          continue;
        }
        this.#fail(err, chunk.records);
        return false;
      }
      chunk.done += n;
      this.#events.written(n);
    }
    return true;
  }

  #positionOf(chunk: Chunk): number | null {
    return this.#dest.positioned ? chunk.position + chunk.done : null;
  }

  #next(): void {
    const chunk = this.#queued.shift();
    if (chunk === undefined) {
      this.#wake();
      return;
    }
    this.#inFlight = chunk;
    this.#start(chunk);
  }

  #start(chunk: Chunk): void {
    this.#dest.write(chunk.buf, chunk.done, chunk.length - chunk.done, this.#positionOf(chunk), (err, written) => {
      if (chunk.abandoned) {
        this.#events.release(chunk.buf);
        return;
      }
      if (this.#failed) return;
      if (err) {
        this.#inFlight = undefined;
        this.#fail(err, chunk.records);
        return;
      }
      chunk.done += written;
      this.#bytes -= written;
      this.#events.written(written);
      if (chunk.done < chunk.length) {
        this.#start(chunk);
        return;
      }
      this.#inFlight = undefined;
      this.#events.release(chunk.buf);
      this.#next();
    });
  }

  #fail(err: unknown, lostInChunk: number): void {
    this.#failed = true;
    let lost = lostInChunk;
    for (const c of this.#queued.splice(0)) lost += c.records;
    if (this.#inFlight !== undefined) {
      lost += this.#inFlight.records;
      this.#inFlight.abandoned = true;
      this.#inFlight = undefined;
    }
    this.#bytes = 0;
    this.#events.failed(err, lost);
    this.#wake();
  }

  #idle(): boolean {
    return this.#failed || (this.#inFlight === undefined && this.#queued.length === 0);
  }

  #wake(): void {
    if (!this.#idle()) return;
    for (const w of this.#waiters.splice(0)) w();
  }
}
