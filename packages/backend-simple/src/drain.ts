// Writing a ring's pending records to the trace file: used by the writer thread and by the producer (sync, exit).
import { ftruncateSync, writeSync, writevSync } from 'node:fs';
import {
  C_ENABLED,
  C_FD,
  C_HEAD,
  C_SEEKABLE,
  C_TAIL,
  F_BYTES,
  F_CONSUMED,
  F_FAILURES,
  F_LOST_EVENTS,
  F_OFFSET,
  type RingView,
} from './ring.js';
import { countRingRecords, ringRecordBytes } from './wire.js';

/** What a failed write lost. The bytes are gone from the ring; the file ends at the last whole record. */
export interface DrainFailure {
  /** The error as plain data (it may have crossed a thread boundary). */
  readonly code: string | undefined;
  readonly message: string;
  /** Event records that did not reach the file. */
  readonly lostEvents: number;
  /** The counts of dropped records that did not reach the file (their losses are unreported until re-reported). */
  readonly lostDropCounts: number;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** How long a write that keeps answering EAGAIN (a non-blocking pipe) is retried before it counts as failed. */
const EAGAIN_RETRY_MS = 1000;

/**
 * Writes every pending byte of the ring to the trace file, then advances the tail. The caller holds the ring's lock.
 * Writes start and end at record boundaries (a wrapped range goes out in one writev), so a process killed between
 * two calls leaves a file that reads cleanly. On failure the file is cut back to its last whole record (regular
 * files), the pending bytes are discarded and counted, and the failure is returned; never throws.
 */
export function drainRing(view: RingView): DrainFailure | undefined {
  const { ctl, capacity } = view;
  if (!writable(view)) return undefined;
  const tail = Atomics.load(ctl, C_TAIL);
  const head = Atomics.load(ctl, C_HEAD);
  if (tail === head) return undefined;
  const total = head > tail ? head - tail : capacity - tail + head;
  const failure = writeRecords(view, view.bytes, tail, total);
  finish(view, head, total);
  return failure;
}

/**
 * Writes the first `length` bytes of `records` (whole records, a producer's batch) straight to the trace file,
 * without the copy into the ring: for a synchronous producer whose ring is empty, so that order is kept. The
 * caller holds the ring's lock and has checked `writable`. Same guarantees and accounting as `drainRing`.
 */
export function writeThrough(view: RingView, records: Uint8Array, length: number): DrainFailure | undefined {
  return writeRecords(view, records, 0, length);
}

/** True while a trace file is open and writeout is on. */
export function writable(view: RingView): boolean {
  return view.ctl[C_FD] >= 0 && Atomics.load(view.ctl, C_ENABLED) !== 0;
}

/**
 * Writes `total` bytes of whole records that start at `from` in `bytes`, wrapping at its end (a ring), at the file
 * offset the stats keep. On failure cuts a regular file back to its last whole record and counts what was lost.
 */
function writeRecords(view: RingView, bytes: Uint8Array, from: number, total: number): DrainFailure | undefined {
  const { ctl, f64 } = view;
  const fd = ctl[C_FD];
  const capacity = bytes.length;
  const seekable = ctl[C_SEEKABLE] === 1;
  const start = f64[F_OFFSET];
  let done = 0;
  let failure: unknown;
  let again = 0;
  while (done < total) {
    const pos = (from + done) % capacity;
    const first = Math.min(total - done, capacity - pos);
    const rest = total - done - first;
    const position = seekable ? start + done : null;
    try {
      done +=
        rest > 0
          ? writevSync(fd, [bytes.subarray(pos, pos + first), bytes.subarray(0, rest)], position ?? undefined)
          : writeSync(fd, bytes, pos, first, position);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EAGAIN' && again++ < EAGAIN_RETRY_MS) {
        Atomics.wait(sleepCell, 0, 0, 1);
        continue;
      }
      failure = err;
      break;
    }
  }
  if (failure === undefined) {
    if (seekable) f64[F_OFFSET] = start + total;
    f64[F_BYTES] += total;
    return undefined;
  }
  const kept = wholeRecordBytes(bytes, from, done);
  if (seekable && kept < done) {
    try {
      ftruncateSync(fd, start + kept);
    } catch {
      // Nothing more can be done: the reader will report the cut record at its offset.
    }
  }
  if (seekable) f64[F_OFFSET] = start + kept;
  f64[F_BYTES] += seekable ? kept : done;
  f64[F_FAILURES] += 1;
  const lost = countRingRecords(bytes, (from + kept) % capacity, total - kept);
  f64[F_LOST_EVENTS] += lost.events;
  const e = failure as { code?: unknown; message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : String(failure),
    lostEvents: lost.events,
    lostDropCounts: lost.droppedCounts,
  };
}

function finish(view: RingView, head: number, total: number): void {
  view.f64[F_CONSUMED] += total;
  Atomics.store(view.ctl, C_TAIL, head);
}

/** Bytes of the whole records that start at `from` and end within the first `limit` bytes. */
function wholeRecordBytes(ring: Uint8Array, from: number, limit: number): number {
  let kept = 0;
  for (;;) {
    const n = ringRecordBytes(ring, (from + kept) % ring.length);
    if (kept + n > limit) return kept;
    kept += n;
  }
}

/**
 * Writes `data` to the trace file directly (the header and mappings when a file is opened, before writeout
 * resumes). The caller holds the lock. Throws the system error; a partial write is cut back on a regular file.
 */
export function writeDirect(view: RingView, data: Uint8Array): void {
  const { ctl, f64 } = view;
  const fd = ctl[C_FD];
  const seekable = ctl[C_SEEKABLE] === 1;
  const start = f64[F_OFFSET];
  let done = 0;
  try {
    while (done < data.length) {
      done += writeSync(fd, data, done, data.length - done, seekable ? start + done : null);
    }
  } catch (err) {
    f64[F_FAILURES] += 1;
    if (seekable) {
      try {
        ftruncateSync(fd, start);
      } catch {
        // The file is being abandoned anyway.
      }
    }
    throw err;
  }
  if (seekable) f64[F_OFFSET] = start + done;
  f64[F_BYTES] += done;
}
