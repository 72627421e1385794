// One timed run of host events through generated tracepoints and the tracer into backend-simple writing a file.
import { rmSync, statSync } from 'node:fs';
import { createSimpleSink } from '@unitrace/backend-simple';
import { processCpuNs, threadCpuNs } from './cpu.js';
import { fireFour, fireStr, hostTracing, SHORT_STRING } from './host.js';

/** Which event a run traces. */
export type EventKind = 'four' | 'str';

/** Bytes of one record of each kind (header 32 + payload). */
export const RECORD_BYTES: Readonly<Record<EventKind, number>> = { four: 64, str: 32 + 4 + SHORT_STRING.length };

/** What one run measured. */
export interface SimpleRun {
  /** ns per event on the producing thread, until every record was handed to the sink (sync: until written). */
  readonly producerNs: number;
  /** ns per event until everything was written to the file. */
  readonly totalNs: number;
  /** CPU ns per event of the producing thread over the producing loop. */
  readonly producerCpuNs: number;
  /** CPU ns per event of the whole process (writer thread included) until everything was written. */
  readonly processCpuNs: number;
  /** Records the sink dropped (its bound reached while the writer thread lagged). */
  readonly dropped: number;
}

/** Options of a run: the file, the count, the sink's mode and bound. */
export interface SimpleRunOptions {
  readonly file: string;
  readonly n: number;
  readonly kind: EventKind;
  /** true: fs.writeSync on the producing thread; false: the default writer thread. */
  readonly sync: boolean;
  /** The sink's bound of buffered bytes (default: the backend's DEFAULT_MAX_LENGTH). */
  readonly maxLength?: number;
}

/** Traces `n` events into a fresh tracer and simple sink; checks the file holds every record not dropped. */
export async function simpleRun(o: SimpleRunOptions): Promise<SimpleRun> {
  rmSync(o.file, { force: true }); // unlinked, not truncated: see floor.ts
  const h = hostTracing(['bench_four', 'bench_str']);
  const sink = createSimpleSink({ file: o.file, sync: o.sync, ...(o.maxLength === undefined ? {} : { maxLength: o.maxLength }) }, h.env);
  h.tracer.addSink(sink);
  if (!o.sync) await sink.flush(); // the writer thread is up before timing starts
  const fire = o.kind === 'four' ? fireFour : fireStr;
  const p0 = processCpuNs();
  const c0 = threadCpuNs();
  const t0 = performance.now();
  fire(h.tp, o.n);
  if (o.sync) h.tracer.flushSync();
  else h.tracer.deliver();
  const t1 = performance.now();
  const c1 = threadCpuNs();
  if (!o.sync) await h.tracer.flush();
  const t2 = performance.now();
  const p1 = processCpuNs();
  const stats = sink.stats();
  await h.tracer.close();
  if (h.errors.length > 0) throw h.errors[0];
  const kept = o.n - stats.dropped;
  const size = statSync(o.file).size;
  if (stats.records + stats.dropped !== o.n || size < kept * RECORD_BYTES[o.kind]) {
    throw new Error(`simple sink run lost records silently: ${stats.records} accepted, ${stats.dropped} dropped, ${size} bytes for ${o.n}`);
  }
  return {
    producerNs: ((t1 - t0) * 1e6) / o.n,
    totalNs: ((t2 - t0) * 1e6) / o.n,
    producerCpuNs: (c1 - c0) / o.n,
    processCpuNs: (p1 - p0) / o.n,
    dropped: stats.dropped,
  };
}
