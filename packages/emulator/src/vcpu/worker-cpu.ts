// The worker vCPU's Cpu: every port or MMIO access is a synchronous exit to the main thread over the control block.
import type { GuestClock } from '../guest-clock.js';
import { CpuBase } from './cpu-base.js';
import {
  CTL_F64_ADDR,
  CTL_MAIN_WAITING,
  CTL_OP,
  CTL_REQ_SEQ,
  CTL_RESP_SEQ,
  CTL_SIZE,
  CTL_U64_VALUE,
  CTL_VALUE,
  CTL_VCPU_SLEEPING,
  type ControlBlock,
  OP_IN,
  OP_MMIO_READ,
  OP_MMIO_WRITE,
  OP_OUT,
  OP_START,
  VCPU_MIN_SPIN_NS,
  VCPU_SPIN_NS,
} from './exit-protocol.js';

const SPIN_MS = VCPU_SPIN_NS / 1e6;
/** The shortest spin the window shrinks to, in ms (see #exit). */
const MIN_SPIN_MS = VCPU_MIN_SPIN_NS / 1e6;

/** Runs on the vCPU worker thread: an exit blocks it (spin, then Atomics.wait) until the main thread answers. */
export class WorkerCpu extends CpuBase {
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #u64: BigUint64Array;
  #seq = 0;
  /** How long the next exit spins before sleeping: adapts between MIN_SPIN_MS and SPIN_MS (see #exit). */
  #spinMs = SPIN_MS;

  constructor(control: ControlBlock, ram: SharedArrayBuffer, clock: GuestClock) {
    super(ram, clock);
    this.#i32 = control.i32;
    this.#f64 = control.f64;
    this.#u64 = control.u64;
    this.#seq = Atomics.load(this.#i32, CTL_REQ_SEQ);
  }

  /** Tells the machine this vCPU is ready and blocks until it runs (a machine created paused waits for `cont`). */
  start(): void {
    this.#i32[CTL_OP] = OP_START;
    this.#exit();
  }

  protected portIn(port: number, size: 1 | 2 | 4): number {
    const c = this.#i32;
    this.#f64[CTL_F64_ADDR] = port;
    c[CTL_SIZE] = size;
    c[CTL_OP] = OP_IN;
    this.#exit();
    return c[CTL_VALUE] >>> 0;
  }

  protected portOut(port: number, size: 1 | 2 | 4, value: number): void {
    const c = this.#i32;
    this.#f64[CTL_F64_ADDR] = port;
    c[CTL_SIZE] = size;
    c[CTL_VALUE] = value;
    c[CTL_OP] = OP_OUT;
    this.#exit();
  }

  protected mmioIn(addr: number, size: 1 | 2 | 4 | 8): number | bigint {
    const c = this.#i32;
    this.#f64[CTL_F64_ADDR] = addr;
    c[CTL_SIZE] = size;
    c[CTL_OP] = OP_MMIO_READ;
    this.#exit();
    return size === 8 ? this.#u64[CTL_U64_VALUE] : c[CTL_VALUE] >>> 0;
  }

  protected mmioOut(addr: number, size: 1 | 2 | 4 | 8, value: number | bigint): void {
    const c = this.#i32;
    this.#f64[CTL_F64_ADDR] = addr;
    c[CTL_SIZE] = size;
    if (size === 8) this.#u64[CTL_U64_VALUE] = value as bigint;
    else c[CTL_VALUE] = value as number;
    c[CTL_OP] = OP_MMIO_WRITE;
    this.#exit();
  }

  /** Publishes the request and waits for its response (see exit-protocol.ts for why this cannot lose a wake-up). */
  #exit(): void {
    const c = this.#i32;
    const seq = (this.#seq + 1) | 0;
    this.#seq = seq;
    Atomics.store(c, CTL_REQ_SEQ, seq);
    if (Atomics.load(c, CTL_MAIN_WAITING) !== 0) Atomics.notify(c, CTL_REQ_SEQ);
    // The clock is read only once the answer is late (256 looks): a fast answer costs no clock read at all.
    // The spin window adapts: an answer that came while spinning doubles it (up to SPIN_MS), one that did not
    // halves it (down to MIN_SPIN_MS). When this thread and the main thread share one core (the other one busy
    // with another process), no answer can come while we spin, and every exit would otherwise burn the whole
    // window before the main thread may run.
    let start = -1;
    const limit = this.#spinMs;
    for (let spins = 1; ; spins++) {
      if (Atomics.load(c, CTL_RESP_SEQ) === seq) {
        if (limit < SPIN_MS) this.#spinMs = Math.min(SPIN_MS, limit * 2);
        return;
      }
      if ((spins & 255) === 0) {
        const now = performance.now();
        if (start < 0) start = now;
        else if (now - start > limit) break;
      }
    }
    this.#spinMs = Math.max(MIN_SPIN_MS, limit / 2);
    Atomics.store(c, CTL_VCPU_SLEEPING, 1);
    while (Atomics.load(c, CTL_RESP_SEQ) !== seq) Atomics.wait(c, CTL_RESP_SEQ, (seq - 1) | 0);
    Atomics.store(c, CTL_VCPU_SLEEPING, 0);
  }
}
