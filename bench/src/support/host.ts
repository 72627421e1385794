// The bench catalog's registry, a tracer over it, and its generated tracepoints.
import { fileURLToPath } from 'node:url';
import { createMonotonicClock, createRegistry, createTracer, loadCatalog, type Clock, type Registry, type SinkEnv, type Tracer } from '@unitrace/core';
import { bindTraceEvents, type TraceEvents } from '../generated/trace.js';

/** The bench catalog (plain QEMU syntax, readable by simpletrace.py). */
export const BENCH_CATALOG: string = fileURLToPath(new URL('../trace-events', import.meta.url));

/** One clock for every tracer of a process, so `clock.nowNs` stays monomorphic across rounds. */
export const CLOCK: Clock = createMonotonicClock();

/** The short string of the string event (10 bytes: a 46-byte record). */
export const SHORT_STRING = 'virtio-net';

/** A tracer over the bench catalog with the given events enabled, and its generated tracepoints. */
export interface HostTracing {
  readonly registry: Registry;
  readonly tracer: Tracer;
  readonly tp: TraceEvents;
  /** A SinkEnv for sinks attached to this tracer; failures are collected in `errors`. */
  readonly env: SinkEnv;
  readonly errors: unknown[];
}

/** Creates a tracer (no exit hook) over the bench catalog with `enable` patterns applied. */
export function hostTracing(enable: readonly string[]): HostTracing {
  const registry = createRegistry(loadCatalog(BENCH_CATALOG));
  for (const p of enable) registry.enable(p);
  const tracer = createTracer({ registry, clock: CLOCK, exitFlush: false });
  const errors: unknown[] = [];
  return { registry, tracer, tp: bindTraceEvents(tracer), env: { onError: (e) => errors.push(e), pid: tracer.pid, clock: CLOCK }, errors };
}

/** Drives `n` 4-integer events through generated code: the loop every host figure times. */
export function fireFour(tp: TraceEvents, n: number): void {
  for (let i = 0; i < n; i++) tp.bench_four(i, i * 2, i & 0xffff, -i);
}

/** Drives `n` short-string events through generated code. */
export function fireStr(tp: TraceEvents, n: number): void {
  for (let i = 0; i < n; i++) tp.bench_str(SHORT_STRING);
}

/** Lets the garbage collector run between rounds when node was started with --expose-gc. */
export function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
