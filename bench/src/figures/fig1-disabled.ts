// Figure 1: a disabled host tracepoint (generated code, 4 integer arguments) against an empty loop iteration.
import { atMost, row, type Row } from '../support/rows.js';
import { fmtNs, fmtRatio, median, pairedRatio } from '../support/stats.js';
import { progress, type BenchOptions } from '../support/options.js';
import { threadCpuNs } from '../support/cpu.js';
import { hostTracing } from '../support/host.js';

// Bound once at module level, as an emulator binds its tracepoints (`const trace = bindTraceEvents(tracer)`).
const { tp, registry, tracer } = hostTracing([]);

/**
 * The enabled check and nothing else, bound the way generated code binds its state array (a `const` of the
 * closure), so that V8 sees the same constant array when it inlines it: a tracepoint of an event without arguments.
 */
function bindCheck(state: Uint8Array): { enabled(): boolean } {
  const $state = state;
  return {
    enabled(): boolean {
      return $state[0] !== 0;
    },
  };
}
const floor = bindCheck(tracer.state);

let sink = 0;

// The loops only loop: the clock is read by `timed`, so that each loop's code is nothing but what is measured.

/** The empty loop: what one iteration of a counted loop costs with nothing in it. */
function emptyLoop(n: number): void {
  for (let i = 0; i < n; i++) {
    // nothing: the baseline
  }
}

/** The traced loop: the disabled tracepoint with four computed integer arguments. */
function disabledLoop(n: number): void {
  for (let i = 0; i < n; i++) tp.bench_four(i, i * 2, i & 0xffff, -i);
}

/**
 * The floor of any enabled check: the same typed-array load and branch, inlined into the loop, with no arguments
 * and the work behind it never run. No tracepoint that checks an enabled bit can cost less than this.
 */
function checkLoop(n: number): void {
  for (let i = 0; i < n; i++) if (floor.enabled()) sink += i;
}

/** A call to a function that does nothing with the same four arguments: for context, not the target. */
function noop(a: number, b: number, c: number, d: number): void {
  if (a === -1) sink = b + c + d;
}

function noopLoop(n: number): void {
  for (let i = 0; i < n; i++) noop(i, i * 2, i & 0xffff, -i);
}

/** CPU ns per iteration of `loop(n)` on this thread. */
function timed(loop: (n: number) => void, n: number): number {
  const t0 = threadCpuNs();
  loop(n);
  return (threadCpuNs() - t0) / n;
}

const LOOPS = [emptyLoop, disabledLoop, checkLoop, noopLoop];

/** Runs figure 1 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = o.quick ? 20_000_000 : 200_000_000;
  if (registry.getState(0) !== 'disabled') throw new Error('bench_four must be disabled for figure 1');
  // Warm-up: many short calls first, so that V8 optimises every loop as a whole with complete type feedback. A
  // loop whose first call runs for seconds is optimised in the middle of that call (on-stack replacement) before
  // its feedback is complete, and can stay in that code: the disabled tracepoint then measured 2.6 ns instead of
  // 0.9 ns in about one process in three, a property of the benchmark, not of the code it measures.
  for (let w = 0; w < 3000; w++) for (const loop of LOOPS) loop(500);
  for (const loop of LOOPS) loop(n / 10);
  const empty: number[] = [];
  const disabled: number[] = [];
  const check: number[] = [];
  const calls: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    empty.push(timed(emptyLoop, n));
    disabled.push(timed(disabledLoop, n));
    check.push(timed(checkLoop, n));
    calls.push(timed(noopLoop, n));
    progress('1', `round ${r + 1}/${o.rounds}: empty ${empty[r].toFixed(3)} ns, disabled ${disabled[r].toFixed(3)} ns, inline check ${check[r].toFixed(3)} ns`);
  }
  if (tracer.writer.count !== 0 || sink !== 0) throw new Error('a disabled tracepoint wrote a record');
  const e = median(empty);
  const d = median(disabled);
  const k = median(check);
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
      raw: { disabledNs: d, emptyLoopNs: e, inlineCheckNs: k, noopCallNs: c },
    }),
    row({
      figure: '1',
      row: 'the floor of any check: the same typed-array load and branch inlined into the loop, without arguments',
      value: fmtNs(k),
      baseline: `empty loop iteration ${fmtNs(e)}`,
      ratio: pairedRatio(check, empty),
      note: `the tracer's own state array (${tracer.state.length} events: V8 keeps a typed array of at most 64 bytes on the heap, so the check also loads its data pointer and length); the disabled tracepoint costs ${fmtRatio(pairedRatio(disabled, check))} this floor, the rest being its four computed arguments`,
      raw: { inlineCheckNs: k, emptyLoopNs: e },
    }),
  ];
}
