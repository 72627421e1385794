// The host time axis: monotonic nanoseconds, CLOCK_MONOTONIC-based as QEMU's simple backend stamps records.

/** A source of monotonic nanosecond timestamps. Must never go backwards; must not allocate per call. */
export interface Clock {
  /** Nanoseconds on the host time axis, as a number (exact below 2^53 ns). */
  nowNs(): number;
}

/**
 * The default clock: CLOCK_MONOTONIC nanoseconds (the base QEMU's simpletrace uses), read through
 * `performance.now()` because `process.hrtime.bigint()` allocates a BigInt per call.
 */
export function createMonotonicClock(): Clock {
  const perf0 = performance.now();
  const base = Number(process.hrtime.bigint());
  return {
    nowNs(): number {
      return base + Math.floor((performance.now() - perf0) * 1e6);
    },
  };
}

/** A clock that only moves when told to: for deterministic tests and replays. */
export interface ManualClock extends Clock {
  /** Sets the current time. Must not move backwards. */
  set(ns: number): void;
  /** Advances the current time by `ns`. */
  advance(ns: number): void;
}

/** Creates a ManualClock starting at `startNs`. */
export function createManualClock(startNs = 0): ManualClock {
  let now = startNs;
  return {
    nowNs: () => now,
    set(ns: number): void {
      if (ns < now) throw new RangeError(`manual clock cannot go backwards (${ns} < ${now})`);
      now = ns;
    },
    advance(ns: number): void {
      if (!(ns >= 0)) throw new RangeError(`manual clock cannot advance by ${ns}`);
      now += ns;
    },
  };
}
