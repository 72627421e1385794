// The guest clock: a TSC-like counter every vCPU thread reads without an exit, and its exact mapping to host ns.
import { TraceError, type Clock } from '@unitrace/core';
import { measureAxisOffset } from './vcpu/host-axis.js';
import { type GuestClock, SharedGuestClock, createClockBuffer } from './vcpu/shared-clock.js';

export type { GuestClock } from './vcpu/shared-clock.js';
export { attachGuestClock } from './vcpu/shared-clock.js';

/** Default guest clock frequency: 1 GHz (one tick per host nanosecond). */
export const DEFAULT_TSC_HZ = 1_000_000_000;
/** Highest accepted frequency: 10 GHz. */
export const MAX_TSC_HZ = 10_000_000_000;

/** Options of `createGuestClock`. */
export interface GuestClockOptions {
  /** Ticks per second: a whole number of kHz from 1 kHz to 10 GHz (default 1 GHz). */
  readonly hz?: number;
  /** The host time axis (default: CLOCK_MONOTONIC ns). Worker vCPUs follow it only if it runs at that rate. */
  readonly hostClock: Clock;
}

/**
 * Creates a guest clock reading 0 now. Throws TraceError('E_USAGE') for a frequency that is not a whole number of
 * kHz in [1 kHz, 10 GHz]: whole kHz keeps every conversion exact in double arithmetic (and is how TSCs are given).
 */
export function createGuestClock(options: GuestClockOptions): GuestClock {
  const hz = options.hz ?? DEFAULT_TSC_HZ;
  if (!Number.isSafeInteger(hz) || hz < 1000 || hz > MAX_TSC_HZ || hz % 1000 !== 0) {
    const want = 'a whole number of kHz from 1 kHz to 10 GHz';
    throw new TraceError('E_USAGE', `guest clock frequency must be ${want}, got ${String(hz)}`);
  }
  const axis = measureAxisOffset(options.hostClock);
  const clock = new SharedGuestClock(createClockBuffer(hz, axis.offset, axis.errorNs), options.hostClock, 0, true);
  clock.reset();
  return clock;
}
