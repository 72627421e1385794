// Guest ticks to host ns for a whole batch: the guest clock's mapping is linear, so once its boot time is read, each
// record's conversion is a multiply-add (and, for a rate that is not a divisor of 1 GHz, one division and a
// correction step), with no call, no seqlock read and no BigInt per record.

/** What the conversion needs of a guest clock (GuestClock has all of it). */
export interface LinearGuestClock {
  /** Ticks per second: a whole number of kHz (so hz / 1e9 reduces to P / Q with P ≤ 1e7). */
  readonly hz: number;
  /** Host ns at which the clock read 0. */
  readonly bootNs: number;
  /** The exact conversion, for the values the fast path does not cover. */
  toHostNs(ticks: number): number;
}

// Below this every product the fast paths form (m = t·Q, c·P with c ≤ m / P + 1 and P < 2^24) is an exact integer.
const EXACT = 2 ** 52;

/**
 * `toHostNs` of a guest clock, computed per record from a boot time read once (`snapshot`). Gives exactly what
 * GuestClock.toHostNs gives: the earliest host ns at which the clock reads `ticks` or more, `bootNs + ⌈t·Q / P⌉`.
 * Must be re-snapshotted after the clock is reset; never allocates.
 */
export class HostTimeMap {
  /** hz / 1e9 as the reduced fraction P / Q. */
  readonly p: number;
  readonly q: number;
  /** The clock's boot time as of the last `snapshot()`. */
  boot = 0;
  readonly #clock: LinearGuestClock;

  constructor(clock: LinearGuestClock) {
    this.#clock = clock;
    const g = gcd(clock.hz, 1e9);
    this.p = clock.hz / g;
    this.q = 1e9 / g;
    this.snapshot();
  }

  /** Reads the clock's boot time (one seqlocked read): call once per batch, not per record. */
  snapshot(): void {
    this.boot = this.#clock.bootNs;
  }

  /** Host ns of `ticks` (a non-negative integer, as a guest record carries it), against the snapshot's boot time. */
  hostNs(ticks: number): number {
    const m = ticks * this.q;
    if (this.p === 1 && m < EXACT) return this.boot + m;
    return this.#general(ticks, m);
  }

  #general(ticks: number, m: number): number {
    if (!(m < EXACT && ticks > 0)) return this.#clock.toHostNs(ticks);
    const p = this.p;
    // The float quotient is within one of the true ceiling; one integer comparison each way makes it exact.
    let c = Math.ceil(m / p);
    if (c * p < m) c++;
    else if ((c - 1) * p >= m) c--;
    return this.boot + c;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
