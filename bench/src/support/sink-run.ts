// Timed runs of the same events through any sink, and through pino, the logger a user would otherwise pick.
import { once } from 'node:events';
import { rmSync, statSync } from 'node:fs';
import type { Sink, SinkEnv } from '@unitrace/core';
import { pino } from 'pino';
import { processCpuNs } from './cpu.js';
import { fireFour, fireStr, hostTracing, SHORT_STRING } from './host.js';
import type { EventKind } from './simple-run.js';

/**
 * Wall time and CPU time of the whole process per event of one run (every thread: a logger's garbage collection
 * and asynchronous writes count too), and the records its sink dropped.
 */
export interface LoggerRun {
  readonly wallNs: number;
  readonly cpuNs: number;
  readonly dropped: number;
}

/**
 * `n` events through generated tracepoints, the tracer and `makeSink`'s sink, timed until written (the tracer's
 * flushSync writes out what a synchronous sink still holds). `file` is unlinked first.
 */
export function sinkRun(kind: EventKind, n: number, file: string, makeSink: (env: SinkEnv) => Sink): LoggerRun {
  rmSync(file, { force: true });
  const h = hostTracing(['bench_four', 'bench_str']);
  const sink = makeSink(h.env);
  h.tracer.addSink(sink);
  const fire = kind === 'four' ? fireFour : fireStr;
  const c0 = processCpuNs();
  const t0 = performance.now();
  fire(h.tp, n);
  h.tracer.flushSync();
  const wallNs = ((performance.now() - t0) * 1e6) / n;
  const cpuNs = (processCpuNs() - c0) / n;
  const dropped = sink.stats?.().dropped ?? 0;
  void h.tracer.close();
  if (h.errors.length > 0) throw h.errors[0];
  return { wallNs, cpuNs, dropped };
}

/** How pino writes: its default destination (asynchronous writes) or synchronous writes of 4 KiB chunks. */
export type PinoMode = 'default' | 'sync-4k';

/**
 * `n` pino `info` calls with the same values as the traced event, to a file, timed until written (flushSync).
 * The file is opened before timing starts; the output is checked to hold a line per call.
 */
export async function pinoRun(mode: PinoMode, kind: EventKind, file: string, n: number): Promise<LoggerRun> {
  rmSync(file, { force: true });
  const dest = pino.destination(mode === 'default' ? { dest: file } : { dest: file, sync: true, minLength: 4096 });
  await once(dest, 'ready');
  const log = pino(dest);
  const c0 = processCpuNs();
  const t0 = performance.now();
  if (kind === 'four') for (let i = 0; i < n; i++) log.info({ a: i, b: i * 2, c: i & 0xffff, d: -i }, 'bench_four');
  else for (let i = 0; i < n; i++) log.info({ name: SHORT_STRING }, 'bench_str');
  dest.flushSync();
  const wallNs = ((performance.now() - t0) * 1e6) / n;
  const cpuNs = (processCpuNs() - c0) / n;
  dest.end();
  await once(dest, 'close');
  // Each line holds at least the message and the fields: a shorter file means lines were lost.
  const minLine = kind === 'four' ? 60 : 40;
  if (statSync(file).size < n * minLine) throw new Error(`pino wrote ${statSync(file).size} bytes for ${n} lines`);
  return { wallNs, cpuNs, dropped: 0 };
}
