// Figure 1: a disabled host tracepoint (generated code, 4 integer arguments) against an empty loop iteration.
import { atMost, row, type Row } from '../support/rows.js';
import { fmtNs, fmtRatio, median, pairedRatio } from '../support/stats.js';
import { progress, type BenchOptions } from '../support/options.js';
import { threadCpuNs } from '../support/cpu.js';
import { hostTracing } from '../support/host.js';

/** The empty loop: what one iteration of a counted loop costs with nothing in it. */
function emptyLoop(n: number): number {
  const t0 = threadCpuNs();
  for (let i = 0; i < n; i++) {
    // nothing: the baseline
  }
  return (threadCpuNs() - t0) / n;
}

// Bound once at module level, as an emulator binds its tracepoints (`const trace = bindTraceEvents(tracer)`).
const { tp, registry, tracer } = hostTracing([]);

/** The traced loop: the disabled tracepoint with four computed integer arguments. */
function disabledLoop(n: number): number {
  const t0 = threadCpuNs();
  for (let i = 0; i < n; i++) tp.bench_four(i, i * 2, i & 0xffff, -i);
  return (threadCpuNs() - t0) / n;
}

let sink = 0;
/** A call to a function that does nothing with the same four arguments: for context, not the target. */
function noop(a: number, b: number, c: number, d: number): void {
  if (a === -1) sink = b + c + d;
}

function noopLoop(n: number): number {
  const t0 = threadCpuNs();
  for (let i = 0; i < n; i++) noop(i, i * 2, i & 0xffff, -i);
  return (threadCpuNs() - t0) / n;
}

/** Runs figure 1 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = o.quick ? 20_000_000 : 200_000_000;
  if (registry.getState(0) !== 'disabled') throw new Error('bench_four must be disabled for figure 1');
  // Warm-up: every loop optimised (and on-stack-replaced) before the counted rounds.
  for (let w = 0; w < 3; w++) {
    emptyLoop(n / 10);
    disabledLoop(n / 10);
    noopLoop(n / 10);
  }
  const empty: number[] = [];
  const disabled: number[] = [];
  const calls: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    empty.push(emptyLoop(n));
    disabled.push(disabledLoop(n));
    calls.push(noopLoop(n));
    progress('1', `round ${r + 1}/${o.rounds}: empty ${empty[r].toFixed(3)} ns, disabled ${disabled[r].toFixed(3)} ns`);
  }
  if (tracer.writer.count !== 0 || sink !== 0) throw new Error('a disabled tracepoint wrote a record');
  const e = median(empty);
  const d = median(disabled);
  const c = median(calls);
  return [
    row({
      figure: '1',
      row: 'disabled host tracepoint bench_four (generated, 4 integers), per call',
      value: fmtNs(d),
      baseline: `empty loop iteration ${fmtNs(e)}`,
      ratio: pairedRatio(disabled, empty),
      target: atMost(1.5),
      note: `${n.toLocaleString('en-US')} calls × ${o.rounds} rounds, CPU time of the thread; for scale, a call to an empty function with the same arguments costs ${fmtNs(c)} (${fmtRatio(pairedRatio(calls, empty))} the empty loop)`,
      raw: { disabledNs: d, emptyLoopNs: e, noopCallNs: c },
    }),
  ];
}
