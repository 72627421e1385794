// Who writes the ring out: a writer thread (default, never blocks the producer) or the producer itself (sync).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { drainRing, writable, writeThrough, type DrainFailure } from './drain.js';
import {
  C_LOCK,
  C_REPORT,
  C_STOP,
  F_CONSUMED,
  lockRing,
  unlockRing,
  wakeWriter,
  type RingMemory,
  type RingView,
} from './ring.js';
import type { WriterMessage } from './writer-worker.js';

/** Writes a ring out. Every method is called on the producing thread. */
export interface Drainer {
  /** Asks for every pending byte to be written: now (sync) or by waking the writer thread. Never throws. */
  kick(): void;
  /** Resolves once `target` bytes have left the ring since creation, or at once while writeout is off. */
  settle(target: number): Promise<void>;
  /** Lets the writer drain what it can and end. Resolves when it has. */
  stop(): Promise<void>;
  /**
   * Only where the producer writes itself: writes whole records from the producer's own buffer to the file now,
   * bypassing the ring, which must be empty. False when writeout is off (nothing was written). Never throws.
   */
  writeThrough?(records: Uint8Array, length: number): boolean;
}

/** Called with each failed write, on the producing thread. */
export type FailureHandler = (failure: DrainFailure) => void;

/** Writes on the calling thread with fs.writeSync: for tests, benchmarks and small tools (`sync: true`). */
export class SyncDrainer implements Drainer {
  readonly #view: RingView;
  readonly #onFailure: FailureHandler;

  constructor(view: RingView, onFailure: FailureHandler) {
    this.#view = view;
    this.#onFailure = onFailure;
  }

  kick(): void {
    const ctl = this.#view.ctl;
    lockRing(ctl);
    let failure;
    try {
      failure = drainRing(this.#view);
    } finally {
      unlockRing(ctl);
    }
    if (failure) this.#onFailure(failure);
  }

  settle(_target: number): Promise<void> {
    this.kick();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  writeThrough(records: Uint8Array, length: number): boolean {
    const ctl = this.#view.ctl;
    lockRing(ctl);
    let failure;
    try {
      if (!writable(this.#view)) return false;
      failure = writeThrough(this.#view, records, length);
    } finally {
      unlockRing(ctl);
    }
    if (failure) this.#onFailure(failure);
    return true;
  }
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
}

/**
 * Drains through a worker thread that sleeps on the ring's wake word: the producer only copies bytes and notifies.
 * If the thread dies, it reports once and falls back to writing on the producing thread.
 */
export class WorkerDrainer implements Drainer {
  readonly #view: RingView;
  readonly #onFailure: FailureHandler;
  readonly #onDeath: (err: unknown) => void;
  readonly #worker: Worker;
  #waiters: Waiter[] = [];
  #fallback: SyncDrainer | undefined;
  #stopping = false;
  #exited: Promise<void>;

  constructor(memory: RingMemory, view: RingView, onFailure: FailureHandler, onDeath: (err: unknown) => void) {
    this.#view = view;
    this.#onFailure = onFailure;
    this.#onDeath = onDeath;
    this.#worker = spawnWriter(memory);
    this.#worker.on('message', (msg: WriterMessage) => {
      if (msg.type === 'failed') this.#onFailure(msg);
      this.#check();
    });
    let death: unknown;
    this.#worker.on('error', (err) => {
      death = err;
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        if (!this.#stopping) this.#die(death ?? new Error(`the writer thread exited with code ${code}`));
        resolve();
      });
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.#worker.unref();
  }

  kick(): void {
    if (this.#fallback) this.#fallback.kick();
    else wakeWriter(this.#view.ctl);
  }

  settle(target: number): Promise<void> {
    if (this.#fallback) return this.#fallback.settle(target);
    if (this.#done(target)) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.push({ target, resolve });
      Atomics.store(this.#view.ctl, C_REPORT, 1);
      this.#worker.ref();
      wakeWriter(this.#view.ctl);
    });
  }

  async stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      Atomics.store(this.#view.ctl, C_STOP, 1);
      this.#worker.ref();
      wakeWriter(this.#view.ctl);
    }
    await this.#exited;
  }

  #done(target: number): boolean {
    return this.#view.f64[F_CONSUMED] >= target || !writable(this.#view);
  }

  #check(): void {
    if (this.#waiters.length === 0) return;
    const left = this.#waiters.filter((w) => !this.#done(w.target));
    for (const w of this.#waiters) if (!left.includes(w)) w.resolve();
    this.#waiters = left;
    if (left.length === 0) {
      Atomics.store(this.#view.ctl, C_REPORT, 0);
      if (!this.#stopping) this.#worker.unref();
    }
  }

  #die(err: unknown): void {
    // A thread that died inside a write can leave the lock taken; nobody else can be holding it now.
    Atomics.store(this.#view.ctl, C_LOCK, 0);
    this.#fallback = new SyncDrainer(this.#view, this.#onFailure);
    this.#onDeath(err);
    this.#fallback.kick();
    for (const w of this.#waiters.splice(0)) w.resolve();
  }
}

/**
 * Starts the writer thread. From dist the entry is `writer-worker.js` next to this module; from TypeScript source
 * (vitest, `node --import tsx`) the thread first registers tsx, because Node 20 does not apply `--import` hooks
 * given in a Worker's execArgv to the worker's entry module.
 */
function spawnWriter(memory: RingMemory): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./writer-worker.js', here), { workerData: memory });
  const entry = new URL('./writer-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsxApi(here))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: memory });
}

function tsxApi(from: string): string {
  const cjs = createRequire(from).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}
