// Running a guest program on a vCPU worker: start the thread, service its exits, turn its end into an outcome.
import type { Worker } from 'node:worker_threads';
import { TraceError } from '@unitrace/core';
import { createControlBlock, describeGuestError, type WorkerBoot, type WorkerOutcomeMessage } from './exit-protocol.js';
import type { ExitService } from './exit-service.js';
import { VcpuLink } from './exit-service.js';
import type { GuestOutcome, VcpuEvents, VcpuStats } from './outcome.js';
import { launchWorker } from './worker-launch.js';

/** What a worker run needs from the machine. */
export interface WorkerRunHost {
  readonly ram: SharedArrayBuffer;
  readonly clockShared: SharedArrayBuffer;
  readonly service: ExitService;
  readonly events: VcpuEvents;
}

/** A guest running on a worker. */
export interface WorkerRun {
  stats(): VcpuStats;
  /** Terminates the worker; `done` then resolves with `terminated` (unless the guest had already ended). */
  terminate(): Promise<void>;
  readonly done: Promise<GuestOutcome>;
  /** The link the exit service services (for the machine's `onStart` hook). */
  readonly link: VcpuLink;
}

/**
 * Starts a worker vCPU for the guest module at `url`. Throws TraceError('E_USAGE') when the worker cannot be
 * started (args that cannot be structured-cloned, no TypeScript support for a .ts module). `done` never rejects.
 */
export function runOnWorker(
  host: WorkerRunHost,
  index: number,
  url: URL,
  args: Readonly<Record<string, unknown>>,
): WorkerRun {
  const link = new VcpuLink(index, createControlBlock());
  const boot: WorkerBoot = {
    control: link.control.buffer,
    ram: host.ram,
    clock: host.clockShared,
    module: url.href,
    args,
    index,
  };
  let worker: Worker;
  try {
    worker = launchWorker({ ...boot }, url);
  } catch (err) {
    if (err instanceof TraceError) throw err;
    const why = describeGuestError(err).message;
    throw new TraceError('E_USAGE', `cannot start a vCPU worker for ${url.href}: ${why}`, { cause: err });
  }
  let reported: WorkerOutcomeMessage | undefined;
  let failure: unknown;
  let terminating = false;
  let ended = false;
  worker.on('message', (msg: unknown) => {
    if (reported !== undefined || !isOutcomeMessage(msg)) return;
    reported = msg;
    // The guest has ended; timers or handles it left behind must not keep its thread (and `done`) alive.
    void worker.terminate();
  });
  worker.on('error', (err) => {
    failure ??= err;
  });
  const done = new Promise<GuestOutcome>((resolve) => {
    worker.once('exit', (code) => {
      ended = true;
      host.service.remove(link);
      const outcome = finalOutcome(reported, failure, terminating, code, link.exits);
      host.events.ended(index, outcome);
      resolve(outcome);
    });
  });
  const workerState = (): VcpuStats['state'] =>
    ended ? 'done' : link.started ? 'running' : link.startPending() ? 'ready' : 'starting';
  host.service.add(link);
  return {
    link,
    done,
    stats: () => ({ index, mode: 'worker', exits: link.exits, state: workerState() }),
    async terminate(): Promise<void> {
      if (ended) return;
      terminating = true;
      await worker.terminate();
      await done;
    },
  };
}

/** The outcome from what the worker said (if anything), how it exited, and whether we terminated it. */
function finalOutcome(
  reported: WorkerOutcomeMessage | undefined,
  failure: unknown,
  terminating: boolean,
  code: number,
  exits: number,
): GuestOutcome {
  if (reported !== undefined) {
    // Exits as the main thread counted them: they are the ones that reached devices.
    if (reported.kind === 'halted') return { kind: 'halted', code: reported.code, exits };
    if (reported.kind === 'returned') return { kind: 'returned', exits };
    return { kind: 'threw', error: reported.error, exits };
  }
  if (terminating) return { kind: 'terminated', exits };
  if (failure !== undefined) return { kind: 'threw', error: describeGuestError(failure), exits };
  const message = `vCPU worker exited with code ${code} before its guest ended`;
  return { kind: 'threw', error: { name: 'Error', message }, exits };
}

/** Guest code shares the worker with our entry and could post anything: accept only a well-formed outcome. */
function isOutcomeMessage(msg: unknown): msg is WorkerOutcomeMessage {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as { kind?: unknown; code?: unknown; error?: unknown };
  if (m.kind === 'halted') return typeof m.code === 'number';
  if (m.kind === 'returned') return true;
  if (m.kind !== 'threw' || typeof m.error !== 'object' || m.error === null) return false;
  const e = m.error as { name?: unknown; message?: unknown; stack?: unknown };
  const stackOk = e.stack === undefined || typeof e.stack === 'string';
  return typeof e.name === 'string' && typeof e.message === 'string' && stackOk;
}
