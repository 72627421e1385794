// A sink in front of another that hands it records in timestamp order: guest records arrive in batches, after host
// records that happened later, so lines for a human are held for a short window and sorted first.
import { BatchWriter, type RecordBatch, type Sink, type SinkStats, type SourceInfo, copyRecord, recordTimestamp } from '@unitrace/core';

/** Options of `timeOrdered`. */
export interface TimeOrderOptions {
  /** How long records are held before they are sorted and passed on, in ms (default 200). */
  readonly windowMs?: number;
  /** Bytes of records held at most; a full buffer is passed on at once (default 1 MiB). */
  readonly capacity?: number;
}

/**
 * Wraps `inner` so that records reach it sorted by timestamp (stable: equal stamps keep their arrival order) within
 * a window. Records later than the window still reach it, only out of order. Must not be used where arrival order
 * matters (a binary trace file keeps what arrived, as QEMU's does).
 */
export function timeOrdered(inner: Sink, options: TimeOrderOptions = {}): Sink {
  return new TimeOrderedSink(inner, options.windowMs ?? 200, options.capacity ?? 1 << 20);
}

class TimeOrderedSink implements Sink {
  readonly name: string;
  readonly #inner: Sink;
  readonly #windowMs: number;
  readonly #pending: BatchWriter;
  readonly #out: BatchWriter;
  #order: number[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(inner: Sink, windowMs: number, capacity: number) {
    this.name = inner.name;
    this.#inner = inner;
    this.#windowMs = windowMs;
    this.#pending = new BatchWriter(capacity);
    this.#out = new BatchWriter(capacity);
  }

  describe(source: SourceInfo): void {
    this.#inner.describe(source);
  }

  write(batch: RecordBatch): void {
    for (let i = 0; i < batch.count; i++) {
      const length = 8 + batch.view.getUint32(batch.offsets[i] + 24, true);
      if (this.#pending.free < length) this.#drain();
      copyRecord(batch, i, this.#pending);
    }
    if (this.#timer === undefined && this.#pending.count > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, this.#windowMs).unref();
    }
  }

  dropped(count: number, timeNs: number): void {
    this.#drain();
    this.#inner.dropped(count, timeNs);
  }

  flush(): Promise<void> {
    this.#drain();
    return this.#inner.flush();
  }

  flushSync(): void {
    this.#drain();
    this.#inner.flushSync?.();
  }

  close(): Promise<void> {
    this.#drain();
    return this.#inner.close();
  }

  stats(): SinkStats {
    return this.#inner.stats?.() ?? { records: 0, dropped: 0, bytes: 0, errors: 0 };
  }

  #drain(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const p = this.#pending;
    if (p.count === 0) return;
    const order = this.#order;
    order.length = p.count;
    for (let i = 0; i < p.count; i++) order[i] = i;
    order.sort((a, b) => recordTimestamp(p, a) - recordTimestamp(p, b) || a - b);
    const out = this.#out;
    out.reset();
    for (const i of order) copyRecord(p, i, out);
    p.reset();
    try {
      this.#inner.write(out);
    } finally {
      out.reset();
    }
  }
}
