// The main thread's side of worker exits: a loop that services every vCPU's requests on the buses, spinning while
// exits keep coming, doing devices' deferred work between them, yielding to the event loop every slice, and
// sleeping in Atomics.waitAsync when there is neither.
import type { IoBus } from '../io/io-bus.js';
import type { MmioBus } from '../io/mmio-bus.js';
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
  MAIN_MIN_SPIN_NS,
  MAIN_SLICE_NS,
  MAIN_SPIN_NS,
  OP_IN,
  OP_MMIO_READ,
  OP_MMIO_WRITE,
  OP_OUT,
  OP_START,
} from './exit-protocol.js';
import type { DeferredWork } from './deferred-work.js';

// Atomics.waitAsync is in Node 20 but not in the ES2022 lib this repository compiles against.
type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): WaitAsyncResult }).waitAsync;

const SLICE_MS = MAIN_SLICE_NS / 1e6;
const SPIN_MS = MAIN_SPIN_NS / 1e6;
const MIN_SPIN_MS = MAIN_MIN_SPIN_NS / 1e6;

/** The main thread's record of one worker vCPU. */
export class VcpuLink {
  /** The vCPU's index in the machine. */
  readonly index: number;
  /** Its control block, and the Int32 view of it the hot path uses. */
  readonly control: ControlBlock;
  readonly i32: Int32Array;
  /** Sequence number of the last request serviced. */
  lastSeq = 0;
  /** Exits serviced (the start handshake is not one). */
  exits = 0;
  /** True once the vCPU passed its start handshake (its guest program runs). */
  started = false;
  /** True while an Atomics.waitAsync is armed on this vCPU's request word. */
  waiting = false;

  constructor(index: number, control: ControlBlock) {
    this.index = index;
    this.control = control;
    this.i32 = control.i32;
    this.lastSeq = Atomics.load(control.i32, CTL_REQ_SEQ);
  }

  /** True while the vCPU's start handshake waits to be answered (the machine is not running yet). */
  startPending(): boolean {
    return Atomics.load(this.i32, CTL_REQ_SEQ) !== this.lastSeq && this.i32[CTL_OP] === OP_START;
  }
}

/** What the service needs from its machine. */
export interface ExitServiceHost {
  readonly io: IoBus;
  readonly mmio: MmioBus;
  /** False while the machine is not running: pending exits then wait (the vCPU blocks at its next exit). */
  canService(): boolean;
  /** A vCPU passed its start handshake. */
  onStart(link: VcpuLink): void;
  /** Work devices took out of exits; done between exits, and the loop does not sleep while any is waiting. */
  readonly deferred?: DeferredWork;
}

type Phase = 'idle' | 'scheduled' | 'spinning' | 'sleeping';

/**
 * Services worker exits on the main thread. Never holds the event loop for more than one slice (1 ms; a futex wait
 * for the next exit ends with it, give or take the kernel's timer slack) plus at most 32 device accesses or one
 * deferred-work step: after each slice it yields with setImmediate, so timers, sockets and the monitor keep running.
 */
export class ExitService {
  readonly #host: ExitServiceHost;
  #links: readonly VcpuLink[] = [];
  #phase: Phase = 'idle';
  /** How long the loop spins without an exit before it waits: adapts between MIN_SPIN_MS and SPIN_MS. */
  #spinMs = SPIN_MS;
  readonly #pump = (): void => this.#run();

  constructor(host: ExitServiceHost) {
    this.#host = host;
  }

  /** Starts servicing a vCPU. */
  add(link: VcpuLink): void {
    this.#links = [...this.#links, link];
    this.kick();
  }

  /** Stops servicing a vCPU (its worker ended) and releases its armed waiter. */
  remove(link: VcpuLink): void {
    this.#links = this.#links.filter((l) => l !== link);
    Atomics.notify(link.i32, CTL_REQ_SEQ);
  }

  /** Makes the loop look for work soon (after `cont`, or when a vCPU is added). */
  kick(): void {
    if (this.#phase === 'sleeping') this.#clearWaiting();
    if (this.#phase === 'idle' || this.#phase === 'sleeping') {
      this.#phase = 'scheduled';
      setImmediate(this.#pump);
    }
  }

  #run(): void {
    const host = this.#host;
    const deferred = host.deferred;
    this.#phase = 'spinning';
    const sliceEnd = performance.now() + SLICE_MS;
    let lastWork = performance.now();
    let batch = 0;
    let idle = 0;
    let woke = false;
    for (;;) {
      if (!host.canService() || this.#links.length === 0) {
        this.#phase = 'idle';
        return;
      }
      const links = this.#links;
      let did = false;
      let slept = false;
      for (let i = 0; i < links.length; i++) {
        const link = links[i];
        const seq = Atomics.load(link.i32, CTL_REQ_SEQ);
        if (seq !== link.lastSeq) {
          if (this.#service(link, seq)) slept = true;
          did = true;
          if (!host.canService()) break;
        }
      }
      if (did) {
        // A vCPU that had to sleep for its answer, or an exit that came only once we waited, says spinning here
        // keeps the vCPU from running (both threads on one core): shrink the window. An exit caught while spinning
        // says spinning pays: grow it back.
        if (slept || woke) this.#spinMs = Math.max(MIN_SPIN_MS, this.#spinMs / 2);
        else if (this.#spinMs < SPIN_MS) this.#spinMs = Math.min(SPIN_MS, this.#spinMs * 2);
        woke = false;
      }
      // While exits keep coming, read the clock every 32 of them only: it is a sizeable part of a round trip. With
      // none pending and no deferred work, look again 64 times before reading it, so an exit that arrives is seen
      // at once rather than after a clock read.
      if (did && (++batch & 31) !== 0) continue;
      if (!did && (++idle & 63) !== 0 && (deferred === undefined || !deferred.pending)) continue;
      let now = performance.now();
      if (did) lastWork = now;
      else if (deferred !== undefined && deferred.pending) {
        deferred.step();
        lastWork = now = performance.now();
      } else if (now - lastWork > this.#spinMs) {
        const idleFor = now - lastWork;
        if (idleFor < SPIN_MS && links.length === 1 && now < sliceEnd) {
          // Past the spin window, wait for the next exit in a futex wait rather than spin on: a vCPU thread that
          // shares this core gets it at once, and its exit wakes us directly, not through an event-loop turn. An
          // exit that came only once we stopped spinning shrinks the window (see WorkerCpu's, which adapts alike).
          if (this.#waitBriefly(links[0], Math.min(SPIN_MS - idleFor, sliceEnd - now))) {
            woke = true;
            continue;
          }
          now = performance.now();
        }
        if (now - lastWork > SPIN_MS) {
          if (this.#sleep()) return;
          lastWork = now;
        }
      }
      if (now > sliceEnd) {
        this.#phase = 'scheduled';
        setImmediate(this.#pump);
        return;
      }
    }
  }

  /** Services request `seq` of `link` and answers it; true when the vCPU had gone to sleep waiting for the answer. */
  #service(link: VcpuLink, seq: number): boolean {
    const { i32, f64, u64 } = link.control;
    const op = i32[CTL_OP];
    const size = i32[CTL_SIZE];
    const addr = f64[CTL_F64_ADDR];
    const host = this.#host;
    const deferred = host.deferred;
    if (deferred !== undefined) deferred.inWorkerExit = true;
    switch (op) {
      case OP_IN:
        i32[CTL_VALUE] = host.io.read(addr, size);
        link.exits++;
        break;
      case OP_OUT:
        host.io.write(addr, size, i32[CTL_VALUE] >>> 0);
        link.exits++;
        break;
      case OP_MMIO_READ: {
        const v = host.mmio.read(addr, size as 1 | 2 | 4 | 8);
        if (typeof v === 'bigint') u64[CTL_U64_VALUE] = v;
        else i32[CTL_VALUE] = v;
        link.exits++;
        break;
      }
      case OP_MMIO_WRITE:
        host.mmio.write(addr, size as 1 | 2 | 4 | 8, size === 8 ? u64[CTL_U64_VALUE] : i32[CTL_VALUE] >>> 0);
        link.exits++;
        break;
      case OP_START:
        link.started = true;
        host.onStart(link);
        break;
      default:
        // Not a request our vCPU code writes: answer it with all ones and move on.
        i32[CTL_VALUE] = -1;
    }
    if (deferred !== undefined) deferred.inWorkerExit = false;
    link.lastSeq = seq;
    Atomics.store(i32, CTL_RESP_SEQ, seq);
    if (Atomics.load(i32, CTL_VCPU_SLEEPING) === 0) return false;
    Atomics.notify(i32, CTL_RESP_SEQ);
    return true;
  }

  /**
   * Blocks this thread (the event loop with it, as spinning would) for at most `ms` until `link` makes its next
   * request; true when it did. Flags are published before the sequence word is re-checked, as in #sleep.
   */
  #waitBriefly(link: VcpuLink, ms: number): boolean {
    const i32 = link.i32;
    Atomics.store(i32, CTL_MAIN_WAITING, 1);
    if (Atomics.load(i32, CTL_REQ_SEQ) === link.lastSeq) Atomics.wait(i32, CTL_REQ_SEQ, link.lastSeq, ms);
    Atomics.store(i32, CTL_MAIN_WAITING, 0);
    return Atomics.load(i32, CTL_REQ_SEQ) !== link.lastSeq;
  }

  /**
   * No exit for a while: arms a waiter per vCPU and returns true, or returns false when an exit arrived meanwhile
   * (see exit-protocol.ts for why no wake-up can be lost between the check and the wait).
   */
  #sleep(): boolean {
    const links = this.#links;
    for (const link of links) Atomics.store(link.i32, CTL_MAIN_WAITING, 1);
    for (const link of links) {
      if (Atomics.load(link.i32, CTL_REQ_SEQ) !== link.lastSeq) return this.#stayAwake();
    }
    for (const link of links) {
      if (link.waiting) continue;
      const r = waitAsync(link.i32, CTL_REQ_SEQ, link.lastSeq);
      if (!r.async) return this.#stayAwake();
      link.waiting = true;
      void r.value.then(() => {
        link.waiting = false;
        if (this.#phase !== 'sleeping') return;
        this.#clearWaiting();
        this.#run();
      });
    }
    this.#phase = 'sleeping';
    return true;
  }

  #stayAwake(): false {
    this.#clearWaiting();
    return false;
  }

  #clearWaiting(): void {
    for (const link of this.#links) Atomics.store(link.i32, CTL_MAIN_WAITING, 0);
  }
}
