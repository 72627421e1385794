// The writer thread (QEMU's "trace-thread"): sleeps until woken, then writes the ring's pending records to the file.
import { parentPort, workerData } from 'node:worker_threads';
import { drainRing } from './drain.js';
import { C_ENABLED, C_FD, C_REPORT, C_STOP, C_WAKE, lockRing, ringPending, ringView, unlockRing, type RingMemory } from './ring.js';

/** Messages the writer thread posts to the producing thread. */
export type WriterMessage =
  | { readonly type: 'drained' }
  | {
      readonly type: 'failed';
      readonly code: string | undefined;
      readonly message: string;
      readonly lostEvents: number;
      readonly lostDropCounts: number;
    };

const view = ringView(workerData as RingMemory);
const { ctl } = view;
const port = parentPort!;

function writable(): boolean {
  return ctl[C_FD] >= 0 && Atomics.load(ctl, C_ENABLED) !== 0;
}

// The wake word starts at 0 and only producers move it, so a kick made before this thread started is not missed
// (the first wait returns at once), and records kept below minLength stay buffered until someone asks for them.
let seen = 0;
for (;;) {
  Atomics.wait(ctl, C_WAKE, seen);
  seen = Atomics.load(ctl, C_WAKE);
  if (ringPending(view) > 0 && writable()) {
    lockRing(ctl);
    let failure;
    try {
      failure = drainRing(view);
    } finally {
      unlockRing(ctl);
    }
    if (failure) port.postMessage({ type: 'failed', ...failure } satisfies WriterMessage);
  }
  if (Atomics.load(ctl, C_REPORT) !== 0) port.postMessage({ type: 'drained' } satisfies WriterMessage);
  if (Atomics.load(ctl, C_STOP) !== 0 && (ringPending(view) === 0 || !writable())) break;
}
