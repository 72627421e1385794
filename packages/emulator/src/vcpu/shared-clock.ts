// The guest clock's shared state and arithmetic, free of other runtime imports so a vCPU worker loads little.
import type { Clock } from '@unitrace/core';
import { createThreadClock } from './host-axis.js';

// Shared layout (Float64 slots; slot 0 is viewed as an Int32 sequence word): a seqlock guards bootNs, so a reader
// on another thread never sees a half-written double (ECMAScript does not promise tear-free Float64 accesses).
const SEQ = 0; // Int32 index 0
const BOOT_NS = 1;
const HZ = 2;
const AXIS_OFFSET = 3;
const AXIS_ERROR = 4;
const SLOTS = 5;

/**
 * A guest clock. Ticks are `floor((hostNs − bootNs) × hz / 1e9)`, computed exactly in integers (no rounding at
 * any uptime below 2^53 ticks), where hostNs is the machine's host clock (the tracer's time axis) and bootNs the
 * host time of the last reset. The mapping back is exact too: `toHostNs(t)` is the earliest host ns at which the
 * clock reads t or more, so for a value t read at host time h, `toHostNs(t) ≤ h < toHostNs(t + 1)`, and
 * `ticksAt(toHostNs(t)) === t` for every t the clock can show. Allocates nothing per read.
 */
export interface GuestClock {
  /** Ticks per second. */
  readonly hz: number;
  /** Host ns at which the clock read 0 (the last reset). */
  readonly bootNs: number;
  /** The buffer vCPU workers attach to (see `attachGuestClock`). */
  readonly shared: SharedArrayBuffer;
  /** The current tick count (rdtsc). Never negative. */
  ticks(): number;
  /** The tick count the clock shows at host time `hostNs`. */
  ticksAt(hostNs: number): number;
  /** The earliest host ns at which the clock reads `ticks` or more (what guest channels put on the host axis). */
  toHostNs(ticks: number): number;
  /**
   * At most how far this thread's host-axis reading of an instant can be from the owning thread's, in ns: 0 on the
   * main thread, the two calibration half-brackets plus flooring on a vCPU worker (see vcpu/host-axis.ts).
   */
  readonly axisErrorNs: number;
  /** Sets the clock back to 0 now (machine reset). Only the owning (main-thread) clock may reset. */
  reset(): void;
}

/** A new shared clock buffer for `hz` ticks per second on a host axis `axisOffset` ns from CLOCK_MONOTONIC. */
export function createClockBuffer(hz: number, axisOffset: number, axisErrorNs: number): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(SLOTS * 8);
  const slots = new Float64Array(shared);
  slots[HZ] = hz;
  slots[AXIS_OFFSET] = axisOffset;
  slots[AXIS_ERROR] = axisErrorNs;
  return shared;
}

/**
 * A vCPU thread's view of a machine's guest clock: same ticks, read against this thread's own calibration of the
 * host axis (see vcpu/host-axis.ts for the error bound). Its `reset` throws: only the machine resets the clock.
 */
export function attachGuestClock(shared: SharedArrayBuffer): GuestClock {
  const slots = new Float64Array(shared);
  const host = createThreadClock(slots[AXIS_OFFSET]);
  return new SharedGuestClock(shared, host, slots[AXIS_ERROR] + host.errorNs, false);
}

/** A guest clock over its shared buffer; the owner may reset it, attached views only read it. */
export class SharedGuestClock implements GuestClock {
  /** See GuestClock. */
  readonly hz: number;
  readonly shared: SharedArrayBuffer;
  readonly axisErrorNs: number;
  readonly #slots: Float64Array;
  readonly #seq: Int32Array;
  readonly #host: Clock;
  readonly #owner: boolean;
  /** hz / 1e9 as the reduced fraction P / Q; whole kHz keeps P ≤ 1e7 and Q ≤ 1e6, so P × Q < 2^53. */
  readonly #p: number;
  readonly #q: number;
  // The boot time as last read, and the sequence word it was read under: rdtsc re-reads it only after a reset.
  #bootSeq = -1;
  #boot = 0;

  constructor(shared: SharedArrayBuffer, host: Clock, axisErrorNs: number, owner: boolean) {
    this.shared = shared;
    this.axisErrorNs = axisErrorNs;
    this.#slots = new Float64Array(shared);
    this.#seq = new Int32Array(shared, 0, 2);
    this.#host = host;
    this.#owner = owner;
    this.hz = this.#slots[HZ];
    const g = gcd(this.hz, 1e9);
    this.#p = this.hz / g;
    this.#q = 1e9 / g;
  }

  get bootNs(): number {
    const s = Atomics.load(this.#seq, SEQ);
    if (s === this.#bootSeq) return this.#boot;
    for (;;) {
      const seq = Atomics.load(this.#seq, SEQ);
      const boot = this.#slots[BOOT_NS];
      if ((seq & 1) === 0 && Atomics.load(this.#seq, SEQ) === seq) {
        this.#bootSeq = seq;
        this.#boot = boot;
        return boot;
      }
    }
  }

  ticks(): number {
    return this.ticksAt(this.#host.nowNs());
  }

  ticksAt(hostNs: number): number {
    const e = Math.floor(hostNs - this.bootNs);
    if (!(e > 0)) return 0;
    const p = this.#p;
    const q = this.#q;
    // One tick per ns (the default 1 GHz): nothing to scale.
    if (p === q) return e;
    const m = e * p;
    if (m < EXACT) {
      // The float quotient is within one of the exact floor; one integer comparison each way makes it exact.
      let t = Math.floor(m / q);
      if (t * q > m) t--;
      else if ((t + 1) * q <= m) t++;
      return t;
    }
    const a = div(e, q);
    return a * p + div(rem * p, q);
  }

  toHostNs(ticks: number): number {
    const t = Math.floor(ticks);
    if (!(t > 0)) return this.bootNs;
    const a = div(t, this.#p);
    const c = div(rem * this.#q, this.#p);
    return this.bootNs + a * this.#q + c + (rem > 0 ? 1 : 0);
  }

  reset(): void {
    if (!this.#owner) throw new Error('only the machine resets the guest clock');
    Atomics.add(this.#seq, SEQ, 1);
    this.#slots[BOOT_NS] = this.#host.nowNs();
    Atomics.add(this.#seq, SEQ, 1);
  }
}

// The remainder of the last `div`: conversions run on every rdtsc and must not allocate a pair.
let rem = 0;
// Below this every product ticksAt's fast path forms is an exact integer.
const EXACT = 2 ** 52;

/** Exact floor division of non-negative integers below 2^53 (the float quotient corrected by one step); sets `rem`. */
function div(n: number, d: number): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q--;
    r += d;
  } else if (r >= d) {
    q++;
    r -= d;
  }
  rem = r;
  return q;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
