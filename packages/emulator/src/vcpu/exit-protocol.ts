// The vCPU exit protocol: one 64-byte control block per vCPU, shared by the vCPU thread and the main thread.
//
// A round trip: the vCPU writes the request fields, then bumps REQ_SEQ (Atomics.store; sequentially consistent, so
// the fields are visible to whoever observes the new sequence number) and notifies only if the main thread said it
// sleeps (MAIN_WAITING). The main thread services the exit on a device, writes the response fields, sets RESP_SEQ
// to the request's number and notifies only if the vCPU said it sleeps (VCPU_SLEEPING). Each side first spins on
// the other's sequence word for a short window (exits come in bursts; a spin hand-off costs well under a µs,
// an Atomics.wait/notify one 16–28 µs), then sleeps: the vCPU in Atomics.wait, the main thread in a bounded
// Atomics.wait, then in Atomics.waitAsync, so its event loop keeps running. Flags are published before the sequence
// word is re-checked, so with sequentially consistent atomics a wake-up cannot be lost.
//
// The spin windows adapt: an answer (or exit) that arrives while a side spins doubles its window, one that arrives
// only after it gave up halves it. When both threads share one core (the other core busy with another process),
// nothing can arrive while a side spins, and a fixed window would make every round trip cost a whole window.
//
// Everything lives on one cache line on purpose: a round trip moves the line twice, whatever the fields.

/** Int32 slot: sequence number of the vCPU's latest request (written by the vCPU). */
export const CTL_REQ_SEQ = 0;
/** Int32 slot: sequence number of the latest request answered (written by the main thread). */
export const CTL_RESP_SEQ = 1;
/** 1 while the main thread may be asleep in Atomics.waitAsync on CTL_REQ_SEQ. */
export const CTL_MAIN_WAITING = 2;
/** 1 while the vCPU may be asleep in Atomics.wait on CTL_RESP_SEQ. */
export const CTL_VCPU_SLEEPING = 3;
/** The request: one of the OP_* codes. */
export const CTL_OP = 4;
/** The access width in bytes (1, 2, 4 or 8). */
export const CTL_SIZE = 5;
/** A 32-bit value (port or MMIO write value; read result), stored as int32, read back with `>>> 0`. */
export const CTL_VALUE = 6;
/** Float64 slot (byte 32): the port or guest-physical address, as the guest gave it (validated by the buses). */
export const CTL_F64_ADDR = 4;
/** BigUint64 slot (byte 40): a 64-bit MMIO value. */
export const CTL_U64_VALUE = 5;
/** Bytes of a control block. */
export const CONTROL_BLOCK_BYTES = 64;

/** The vCPU is ready to run its guest; answered only once the machine is running (QEMU `-S`). */
export const OP_START = 1;
/** Port input: CTL_F64_ADDR port, CTL_SIZE width; response CTL_VALUE. */
export const OP_IN = 2;
/** Port output: port, width, CTL_VALUE value. */
export const OP_OUT = 3;
/** MMIO read: address, width; response CTL_VALUE or, for 8 bytes, CTL_U64_VALUE. */
export const OP_MMIO_READ = 4;
/** MMIO write: address, width, CTL_VALUE or, for 8 bytes, CTL_U64_VALUE. */
export const OP_MMIO_WRITE = 5;

/** How long the vCPU spins for a response before sleeping, in ns, at most (while answers come in time). */
export const VCPU_SPIN_NS = 50_000;
/** The shortest spin the vCPU's adaptive window shrinks to while answers keep arriving only after it slept, in ns. */
export const VCPU_MIN_SPIN_NS = 2_000;
/**
 * How long the main thread waits for the next exit after the last one before it lets the event loop run until one
 * comes (Atomics.waitAsync), in ns: spinning for an adaptive part of it, in a futex wait for the rest.
 */
export const MAIN_SPIN_NS = 200_000;
/** The shortest the main thread's spin shrinks to before it waits in a futex wait instead, in ns. */
export const MAIN_MIN_SPIN_NS = 2_000;
/** How long the main thread services exits before it yields to the event loop, in ns. */
export const MAIN_SLICE_NS = 1_000_000;

/** The views of one control block (one buffer, three element types). */
export interface ControlBlock {
  readonly buffer: SharedArrayBuffer;
  /** Sequence words, flags, op, size and 32-bit value. */
  readonly i32: Int32Array;
  /** The address slot. */
  readonly f64: Float64Array;
  /** The 64-bit value slot. */
  readonly u64: BigUint64Array;
}

/** Views over a control block buffer (either side). */
export function controlBlockViews(buffer: SharedArrayBuffer): ControlBlock {
  return {
    buffer,
    i32: new Int32Array(buffer, 0, CONTROL_BLOCK_BYTES / 4),
    f64: new Float64Array(buffer, 0, CONTROL_BLOCK_BYTES / 8),
    u64: new BigUint64Array(buffer, 0, CONTROL_BLOCK_BYTES / 8),
  };
}

/** A fresh control block (all zero: no request, no response). */
export function createControlBlock(): ControlBlock {
  return controlBlockViews(new SharedArrayBuffer(CONTROL_BLOCK_BYTES));
}

/** What a worker vCPU reports when its guest program ends (posted once, then the worker exits). */
export type WorkerOutcomeMessage =
  | { readonly kind: 'halted'; readonly code: number; readonly exits: number }
  | { readonly kind: 'returned'; readonly exits: number }
  | { readonly kind: 'threw'; readonly error: GuestErrorInfo; readonly exits: number };

/** A guest exception, reduced to strings (a guest's error object never crosses to the host). */
export interface GuestErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** What the worker entry receives as workerData. */
export interface WorkerBoot {
  readonly control: SharedArrayBuffer;
  readonly ram: SharedArrayBuffer;
  readonly clock: SharedArrayBuffer;
  readonly module: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly index: number;
}

/**
 * Reduces anything a guest threw to strings without trusting it: getters may throw, `message` may be an object.
 * Never throws.
 */
export function describeGuestError(err: unknown): GuestErrorInfo {
  const str = (v: unknown, fallback: string): string => {
    try {
      return typeof v === 'string' ? v : v === undefined ? fallback : String(v);
    } catch {
      return fallback;
    }
  };
  if (typeof err === 'object' && err !== null) {
    let name: unknown;
    let message: unknown;
    let stack: unknown;
    try {
      name = (err as { name?: unknown }).name;
      message = (err as { message?: unknown }).message;
      stack = (err as { stack?: unknown }).stack;
    } catch {
      return { name: 'Error', message: 'guest threw an object whose properties cannot be read' };
    }
    const info = { name: str(name, 'Error'), message: str(message, str(err, 'unknown error')) };
    return typeof stack === 'string' ? { ...info, stack } : info;
  }
  return { name: 'Error', message: `guest threw ${typeof err}: ${str(err, '?')}` };
}
