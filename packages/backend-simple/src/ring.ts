// The shared byte ring between the producing thread and the writer (QEMU's trace buffer), and its control words.

// Int32 control slots. Positions are byte indices in [0, capacity); one byte stays free so full ≠ empty.
/** Next byte the producer writes (producer-owned). */
export const C_HEAD = 0;
/** Next byte the writer writes out (writer-owned). */
export const C_TAIL = 1;
/** 1 while someone writes to the file: the writer thread, or the producer on flushSync/reopen. */
export const C_LOCK = 2;
/** Bumped to wake the writer thread. */
export const C_WAKE = 3;
/** The open file descriptor, -1 when the trace file is off. */
export const C_FD = 4;
/** Writeout enabled (QEMU's trace_writeout_enabled). */
export const C_ENABLED = 5;
/** The writer thread should drain and exit. */
export const C_STOP = 6;
/** 1 for a regular file: writes are positional so a failed write can be cut back. */
export const C_SEEKABLE = 7;
/** 1 while the producer waits for a flush: the writer posts a message after each drain. */
export const C_REPORT = 8;
const CONTROL_SLOTS = 16;

// Float64 counters, written only by whoever holds the lock (or by the writer thread alone).
/** Bytes handed to the operating system. */
export const F_BYTES = 0;
/** File offset of the next write (regular files). */
export const F_OFFSET = 1;
/** Bytes taken out of the ring since creation: written or discarded after an error. */
export const F_CONSUMED = 2;
/** Event records lost to I/O errors. */
export const F_LOST_EVENTS = 3;
/** Failed write system calls. */
export const F_FAILURES = 4;
const STAT_SLOTS = 8;

/** The shared memory of one ring; what the writer thread receives as its workerData. */
export interface RingMemory {
  /** Shared with a writer thread; a plain ArrayBuffer when the producer writes itself (copies into it are faster). */
  readonly ring: SharedArrayBuffer | ArrayBuffer;
  readonly control: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
}

/** Typed views over a RingMemory. */
export interface RingView {
  readonly bytes: Uint8Array;
  readonly ctl: Int32Array;
  readonly f64: Float64Array;
  readonly capacity: number;
}

/**
 * Allocates the memory of a ring of `capacity` bytes (positions must fit an Int32, so at most 2^31 − 1). `shared`
 * false gives a ring only the creating thread may use.
 */
export function createRingMemory(capacity: number, shared = true): RingMemory {
  if (!(capacity > 1 && capacity < 2 ** 31)) throw new RangeError(`ring capacity ${capacity} out of range`);
  const memory = {
    ring: shared ? new SharedArrayBuffer(capacity) : new ArrayBuffer(capacity),
    control: new SharedArrayBuffer(CONTROL_SLOTS * 4),
    stats: new SharedArrayBuffer(STAT_SLOTS * 8),
  };
  new Int32Array(memory.control)[C_FD] = -1;
  return memory;
}

/** Views over shared ring memory (the same bytes from any thread). */
export function ringView(memory: RingMemory): RingView {
  const bytes = new Uint8Array(memory.ring);
  return { bytes, ctl: new Int32Array(memory.control), f64: new Float64Array(memory.stats), capacity: bytes.length };
}

/** Bytes waiting in the ring. */
export function ringPending(view: RingView): number {
  const d = Atomics.load(view.ctl, C_HEAD) - Atomics.load(view.ctl, C_TAIL);
  return d < 0 ? d + view.capacity : d;
}

/**
 * Takes the write-out lock, waiting at most `timeoutMs`. Returns false when it could not be taken in time (a writer
 * blocked on a stalled pipe); the caller must then not touch the file.
 */
export function lockRing(ctl: Int32Array, timeoutMs: number = Infinity): boolean {
  const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
  while (Atomics.compareExchange(ctl, C_LOCK, 0, 1) !== 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(ctl, C_LOCK, 1, Math.min(left, 1000));
  }
  return true;
}

/** Releases the write-out lock and wakes one waiter. */
export function unlockRing(ctl: Int32Array): void {
  Atomics.store(ctl, C_LOCK, 0);
  Atomics.notify(ctl, C_LOCK, 1);
}

/** Wakes the writer thread. */
export function wakeWriter(ctl: Int32Array): void {
  Atomics.add(ctl, C_WAKE, 1);
  Atomics.notify(ctl, C_WAKE, 1);
}
