// Work a device takes out of a worker vCPU's exit to do after answering it (a guest channel decoding a batch), so the
// host's cost overlaps the guest's instead of adding to it. The exit service runs it between exits; a fallback
// setImmediate runs it when no exit service loop is there to (machine paused, vCPUs gone), and the machine finishes
// it whenever an observer needs everything done (quit, a vCPU's end, the process's exit).
import { registerExitFlush } from '@unitrace/core';

// Drops the exit hook of a registry that was garbage-collected without close().
const forgotten = new FinalizationRegistry<() => void>((unregister) => unregister());

/** One device's deferred work. Its methods run on the main thread and must not throw. */
export interface DeferredTask {
  /** True while work is waiting. */
  readonly pending: boolean;
  /** Does a bounded slice of the work (well under a millisecond); returns true while work remains. */
  step(): boolean;
  /** Does all of the work now, in order. */
  drain(): void;
}

/**
 * The machine's registry of deferred work. `inWorkerExit` is true only while the exit service handles a worker
 * vCPU's exit: a device may defer work only then (an in-thread vCPU or a direct call gains nothing by deferring,
 * since there is no other thread to overlap with). Never holds work of its own: a task keeps its queue bounded.
 */
export class DeferredWork {
  /** True while a worker vCPU's exit is being serviced. */
  inWorkerExit = false;
  #tasks: readonly DeferredTask[] = [];
  #scheduled = false;
  #onDrained: (() => void) | undefined;
  #unregisterExit: (() => void) | undefined;
  readonly #fallback = (): void => {
    this.#scheduled = false;
    if (this.step()) this.wake();
  };

  /**
   * `onDrained` runs after a drain at process exit (the machine flushes its tracer then, so what the drain
   * forwarded is not lost).
   */
  constructor(onDrained?: () => void) {
    this.#onDrained = onDrained;
  }

  /** Adds a device's task. */
  add(task: DeferredTask): void {
    this.#tasks = [...this.#tasks, task];
  }

  /** True while any task has work waiting. */
  get pending(): boolean {
    const tasks = this.#tasks;
    for (let i = 0; i < tasks.length; i++) if (tasks[i].pending) return true;
    return false;
  }

  /** One slice of each task with work; true while work remains. */
  step(): boolean {
    let more = false;
    const tasks = this.#tasks;
    for (let i = 0; i < tasks.length; i++) if (tasks[i].pending && tasks[i].step()) more = true;
    return more;
  }

  /** Finishes all deferred work now. */
  drain(): void {
    for (const task of this.#tasks) if (task.pending) task.drain();
  }

  /**
   * A task queued work: make sure it gets done even if no exit service loop picks it up, and that a process exit
   * does not lose it.
   */
  wake(): void {
    if (this.#unregisterExit === undefined) {
      // Held weakly: a machine that is dropped without quit() must not be kept alive by the process's exit hook.
      const ref = new WeakRef<DeferredWork>(this);
      const unregister = registerExitFlush({ flushSync: () => ref.deref()?.exitDrain() });
      this.#unregisterExit = unregister;
      forgotten.register(this, unregister, this);
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#fallback);
  }

  /** Finishes all work and stops watching the process's exit (machine quit). */
  close(): void {
    this.drain();
    this.#unregisterExit?.();
    this.#unregisterExit = undefined;
    forgotten.unregister(this);
  }

  /** What the process's exit hook runs: finishes pending work, then lets the machine flush its tracer. */
  exitDrain(): void {
    if (!this.pending) return;
    this.drain();
    this.#onDrained?.();
  }
}

/** What a device context carries when its machine can run deferred work (see `deferredWorkOf`). */
export interface DeferredWorkContext {
  readonly deferred?: DeferredWork;
}

/**
 * The machine's deferred-work registry from a device context, or undefined when the context has none (a device
 * attached outside a machine, in a unit test): such a device does all its work inside the exit.
 */
export function deferredWorkOf(ctx: object): DeferredWork | undefined {
  const d = (ctx as DeferredWorkContext).deferred;
  return d instanceof DeferredWork ? d : undefined;
}
