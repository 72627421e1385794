// The tracer: the enabled check, timestamps, the canonical record, and fan-out of batches to every sink.
import { createMonotonicClock, type Clock } from '../clock.js';
import { TraceError } from '../errors.js';
import { BatchWriter, DEFAULT_BATCH_BYTES, MAX_RECORD_BYTES, copyRecord } from '../record-writer.js';
import { RECORD_HEADER_BYTES, type RecordBatch } from '../record.js';
import type { EventRef, Registry } from '../registry/types.js';
import { registerExitFlush } from '../sink/exit-flush.js';
import type { Sink, SinkStats } from '../sink/sink.js';
import { payloadBytes, writeArgs, type ArgValue } from '../values/arg-values.js';

/** Options of `createTracer`. */
export interface TracerOptions {
  /** The events this tracer can emit; its `state` array is the enabled check. */
  readonly registry: Registry;
  /** Host time axis; defaults to CLOCK_MONOTONIC nanoseconds. */
  readonly clock?: Clock;
  /** The pid written into records; defaults to process.pid. */
  readonly pid?: number;
  /** Bytes of records gathered before they are handed to sinks (default 64 KiB). */
  readonly batchBytes?: number;
  /** Where sink failures are reported; defaults to one stderr line per sink (first failure only). */
  readonly onError?: (err: unknown, sinkName: string) => void;
  /** Flush every sink on exit, SIGINT and SIGTERM (default true). */
  readonly exitFlush?: boolean;
  /**
   * How long `flush` and `close` wait for one sink before giving up on it and reporting it (default 10 s), so that a
   * sink whose output hangs (a stalled pipe) cannot hang the program that traces.
   */
  readonly settleTimeoutMs?: number;
}

/** Which events a sink receives, on top of the global enabled state: an event predicate or glob patterns. */
export type SinkFilter = ((event: EventRef) => boolean) | string | readonly string[];

/** What the tracer knows about one attached sink. */
export interface SinkStatus {
  readonly name: string;
  /** Records handed to the sink's `write`. */
  readonly delivered: number;
  /** Records lost because the sink's `write` threw (each counted once). */
  readonly lost: number;
  /** Times a sink method threw. */
  readonly failures: number;
  /** The sink's own counters, when it keeps them. */
  readonly own: SinkStats | undefined;
}

interface SinkEntry {
  readonly sink: Sink;
  readonly filter: Uint8Array | undefined;
  delivered: number;
  lost: number;
  failures: number;
}

/**
 * Creates a tracer over a registry. Generated tracepoints check `state[index]` and call `begin`; everything after
 * that (batching, fan-out, isolation of failing sinks, exit flushing) happens here.
 */
export function createTracer(options: TracerOptions): Tracer {
  return new Tracer(options);
}

/** See `createTracer`. Not thread-safe: one tracer per producing thread. Sinks must not emit into the tracer. */
export class Tracer {
  /** The registry whose events this tracer emits. */
  readonly registry: Registry;
  /** Enabled bit per registry index: the tracepoint fast path reads this and nothing else. */
  readonly state: Uint8Array;
  /** The host time axis of every record. */
  readonly clock: Clock;
  /** The pid written into records. */
  readonly pid: number;
  /** The pending batch; generated code writes argument bytes into it at the offset `begin` returns. */
  readonly writer: BatchWriter;
  readonly #idLo: Uint32Array;
  readonly #idHi: Uint32Array;
  readonly #sinks: SinkEntry[] = [];
  readonly #scratch: BatchWriter;
  readonly #onError: (err: unknown, sinkName: string) => void;
  readonly #settleMs: number;
  /**
   * Bytes the pending batch may reach before `begin` takes its slow path: the batch's capacity while a delivery is
   * scheduled, 0 while none is (so the first record after a delivery schedules the next). One compare on the fast
   * path covers both "the batch is full" and "schedule a delivery".
   */
  #limit = 0;
  #scheduled = false;
  #closed = false;
  #unregisterExit: (() => void) | undefined;
  #deliverSoon = (): void => {
    this.#scheduled = false;
    this.#limit = 0;
    this.deliver();
  };

  constructor(options: TracerOptions) {
    this.registry = options.registry;
    this.state = options.registry.state;
    this.clock = options.clock ?? createMonotonicClock();
    this.pid = options.pid ?? process.pid;
    const capacity = Math.max(options.batchBytes ?? DEFAULT_BATCH_BYTES, MAX_RECORD_BYTES);
    this.writer = new BatchWriter(capacity);
    this.#scratch = new BatchWriter(capacity);
    const n = this.registry.size;
    this.#idLo = new Uint32Array(n);
    this.#idHi = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const ev = this.registry.event(i);
      this.#idLo[i] = ev.idLo;
      this.#idHi[i] = ev.idHi;
    }
    this.#onError = options.onError ?? reportOncePerSink();
    this.#settleMs = options.settleTimeoutMs ?? 10_000;
    if (options.exitFlush !== false) this.#unregisterExit = registerExitFlush(this);
  }

  /**
   * Starts a record of event `index` stamped now and returns the offset in `writer.bytes` where its
   * `payloadBytes` bytes of arguments go. The caller has already checked `state[index]`; must write exactly that
   * many bytes before the next call into the tracer.
   */
  begin(index: number, payloadBytes: number): number {
    const w = this.writer;
    // Kept small so that V8 inlines it into generated tracepoints; the rare work is in #makeRoom.
    if (w.byteLength + RECORD_HEADER_BYTES + payloadBytes > this.#limit) this.#makeRoom(payloadBytes);
    return w.begin(index, this.#idLo[index], this.#idHi[index], this.clock.nowNs(), this.pid, payloadBytes, -1);
  }

  /**
   * Like `begin`, for a record that already has a host timestamp: a guest record converted to the host time
   * axis, with the raw guest clock it carried (-1 when unknown). Does not check the enabled state.
   */
  beginAt(index: number, payloadBytes: number, timeNs: number, guestClock: number): number {
    const w = this.writer;
    if (w.byteLength + RECORD_HEADER_BYTES + payloadBytes > this.#limit) this.#makeRoom(payloadBytes);
    return w.begin(index, this.#idLo[index], this.#idHi[index], timeNs, this.pid, payloadBytes, guestClock);
  }

  /**
   * Emits event `index` with JS values converted by the declared argument types, if it is enabled. The general
   * (slower) path for dynamic callers and tests; generated tracepoints write their arguments directly.
   */
  emit(index: number, values: readonly ArgValue[]): void {
    if (this.state[index] === 0) return;
    const args = this.registry.event(index).decl.args;
    const o = this.begin(index, payloadBytes(args, values));
    writeArgs(this.writer, o, args, values);
  }

  /** Attaches a sink: describes every source to it now, then delivers every later batch. Returns a detach function. */
  addSink(sink: Sink, options: { filter?: SinkFilter } = {}): () => void {
    if (this.#closed) throw new TraceError('E_STATE', `cannot add sink ${sink.name} to a closed tracer`);
    this.deliver();
    const entry: SinkEntry = { sink, filter: this.#compileFilter(options.filter), delivered: 0, lost: 0, failures: 0 };
    for (const source of this.registry.sources) {
      try {
        sink.describe(source);
      } catch (err) {
        this.#fail(entry, err);
      }
    }
    this.#sinks.push(entry);
    return () => {
      this.deliver();
      const i = this.#sinks.indexOf(entry);
      if (i >= 0) this.#sinks.splice(i, 1);
    };
  }

  /** Hands the pending batch to every sink now (normally done when the batch fills or on the next tick). */
  deliver(): void {
    const w = this.writer;
    if (w.count === 0) return;
    for (const entry of this.#sinks) {
      const batch = entry.filter === undefined ? w : this.#filtered(w, entry.filter);
      if (batch.count === 0) continue;
      try {
        entry.sink.write(batch);
        entry.delivered += batch.count;
      } catch (err) {
        entry.lost += batch.count;
        this.#fail(entry, err);
      }
    }
    w.reset();
  }

  /** Tells every sink that `count` records were lost upstream (a guest's drops, refused records), after what is pending. */
  dropped(count: number, timeNs: number = this.clock.nowNs()): void {
    if (!(count > 0)) return;
    this.deliver();
    for (const entry of this.#sinks) {
      try {
        entry.sink.dropped(count, timeNs);
      } catch (err) {
        this.#fail(entry, err);
      }
    }
  }

  /**
   * Delivers what is pending and waits for every sink to write out what it holds, each for at most the settle
   * timeout (a sink that takes longer is reported as failed). Never rejects.
   */
  async flush(): Promise<void> {
    this.deliver();
    await Promise.all(this.#sinks.map((e) => this.#settle(e, 'flush')));
  }

  /** Delivers what is pending and flushes every sink that can do so synchronously (exit path). */
  flushSync(): void {
    this.deliver();
    for (const entry of this.#sinks) {
      try {
        entry.sink.flushSync?.();
      } catch (err) {
        this.#fail(entry, err);
      }
    }
  }

  /** Delivers what is pending, closes every sink and detaches them. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.deliver();
    this.#closed = true;
    this.#unregisterExit?.();
    const entries = this.#sinks.splice(0);
    await Promise.all(entries.map((e) => this.#settle(e, 'close')));
  }

  /** Counters of every attached sink. */
  sinkStatus(): SinkStatus[] {
    return this.#sinks.map((e) => ({
      name: e.sink.name,
      delivered: e.delivered,
      lost: e.lost,
      failures: e.failures,
      own: safeStats(e.sink),
    }));
  }

  async #settle(entry: SinkEntry, what: 'flush' | 'close'): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.#settleMs);
      timer.unref();
    });
    let work: Promise<void>;
    try {
      work = what === 'flush' ? entry.sink.flush() : entry.sink.close();
    } catch (err) {
      work = Promise.reject(err);
    }
    const done = work.then(
      () => false,
      (err: unknown) => {
        this.#fail(entry, err);
        return false;
      },
    );
    try {
      if (await Promise.race([done, timedOut])) {
        this.#fail(entry, new TraceError('E_IO', `sink ${entry.sink.name} did not finish its ${what} within ${this.#settleMs} ms`));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The slow path of `begin`: delivers a batch without room for the record, and schedules the next delivery. */
  #makeRoom(payloadBytes: number): void {
    if (this.writer.free < RECORD_HEADER_BYTES + payloadBytes) this.deliver();
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#limit = this.writer.bytes.length;
      setImmediate(this.#deliverSoon).unref();
    }
  }

  #filtered(w: BatchWriter, filter: Uint8Array): RecordBatch {
    const out = this.#scratch;
    out.reset();
    for (let i = 0; i < w.count; i++) if (filter[w.events[i]] !== 0) copyRecord(w, i, out);
    return out;
  }

  #compileFilter(filter: SinkFilter | undefined): Uint8Array | undefined {
    if (filter === undefined) return undefined;
    const mask = new Uint8Array(this.registry.size);
    if (typeof filter === 'function') {
      for (let i = 0; i < mask.length; i++) mask[i] = filter(this.registry.event(i)) ? 1 : 0;
    } else {
      for (const pattern of typeof filter === 'string' ? [filter] : filter) {
        const negate = pattern.startsWith('-');
        for (const ev of this.registry.match(negate ? pattern.slice(1) : pattern)) mask[ev.index] = negate ? 0 : 1;
      }
    }
    return mask;
  }

  #fail(entry: SinkEntry, err: unknown): void {
    entry.failures++;
    try {
      this.#onError(err, entry.sink.name);
    } catch {
      // The error handler itself failed; nothing more can be done without risking the producer.
    }
  }
}

function safeStats(sink: Sink): SinkStats | undefined {
  try {
    return sink.stats?.();
  } catch {
    return undefined;
  }
}

function reportOncePerSink(): (err: unknown, sinkName: string) => void {
  const seen = new Set<string>();
  return (err, sinkName) => {
    if (seen.has(sinkName)) return;
    seen.add(sinkName);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`unitrace: sink ${sinkName}: ${message} (further failures are counted, not printed)\n`);
  };
}
