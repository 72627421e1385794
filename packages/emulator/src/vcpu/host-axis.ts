// One host time axis across threads: each thread calibrates its own cheap clock against CLOCK_MONOTONIC.
//
// Why this is accurate. `performance.now()` and `process.hrtime.bigint()` both read CLOCK_MONOTONIC (libuv's
// uv_hrtime); they differ only by a per-thread constant (the thread's time origin), so one calibration holds for the
// thread's whole life: there is no drift to correct. The host axis of a machine is its host clock (core's
// createMonotonicClock by default, the tracer's clock): CLOCK_MONOTONIC ns plus that clock's own constant
// calibration offset. The main thread measures that offset once (`measureAxisOffset`), a vCPU thread measures its own
// `performance.now()` offset once (`createThreadClock`), and the worker adds both.
//
// Error bound. Each measurement brackets one read of one clock between two reads of the other and keeps the
// tightest of several tries; the midpoint is off by at most half that bracket (`errorNs`; sub-µs unless the thread
// was preempted in every try). A worker's reading of an instant therefore differs from the main thread's reading of
// the same instant by at most the two half-brackets plus 1 ns of flooring (GuestClock.axisErrorNs). The error is a
// constant, so intervals measured on one thread are exact. If the host clock does not run at the CLOCK_MONOTONIC
// rate (a manual test clock), only in-thread guests follow it.
import { performance } from 'node:perf_hooks';
import type { Clock } from '@unitrace/core';

const TRIES = 9;

/** A calibration result: the constant found, and at most how far off it can be (half the tightest bracket). */
export interface Calibration {
  readonly offset: number;
  readonly errorNs: number;
}

/** A thread's clock on a host axis, with the bound of its own calibration. */
export interface ThreadClock extends Clock {
  /** At most how far this clock's reading of an instant is from CLOCK_MONOTONIC + axisOffset, in ns. */
  readonly errorNs: number;
}

/** CLOCK_MONOTONIC now, in ns, as a number (allocates a BigInt: calibration only). */
function monotonicNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * `hostClock.nowNs() − CLOCK_MONOTONIC` measured now: the constant a thread adds to its own CLOCK_MONOTONIC
 * reading to land on the host clock's axis. Must not be called per event (it reads the clocks 3 × 9 times).
 */
export function measureAxisOffset(hostClock: Clock): Calibration {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < TRIES; i++) {
    const h1 = hostClock.nowNs();
    const m = monotonicNs();
    const h2 = hostClock.nowNs();
    if (h2 - h1 < best) {
      best = h2 - h1;
      offset = (h1 + h2) / 2 - m;
    }
  }
  return { offset, errorNs: best / 2 };
}

/**
 * A clock for the current thread on the axis `CLOCK_MONOTONIC + axisOffset`, read through `performance.now()`
 * (no BigInt per read). Integer ns; never goes backwards.
 */
export function createThreadClock(axisOffset: number): ThreadClock {
  let best = Infinity;
  let base = 0;
  for (let i = 0; i < TRIES; i++) {
    const p1 = performance.now();
    const m = monotonicNs();
    const p2 = performance.now();
    const bracket = (p2 - p1) * 1e6;
    if (bracket < best) {
      best = bracket;
      base = m - ((p1 + p2) / 2) * 1e6;
    }
  }
  const origin = base + axisOffset;
  return {
    errorNs: best / 2 + 1,
    nowNs(): number {
      return Math.floor(origin + performance.now() * 1e6);
    },
  };
}
