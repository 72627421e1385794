// Delivers state changes to listeners in order, isolating the registry from listeners that throw or re-enter.
import type { StateChange } from './types.js';

/** A state-change listener as `Registry.onChange` takes it. */
export type ChangeListener = (change: StateChange) => void;

/** Where an error thrown by a listener goes. Must not throw (if it does, the default handler gets both errors). */
export type ListenerErrorHandler = (err: unknown, change: StateChange) => void;

/**
 * The default for a throwing listener: rethrow it on a microtask. The operation that caused the change has
 * already completed and every other listener has run, so the registry stays consistent, yet the bug is not
 * swallowed: it surfaces as an uncaught exception (a failed test, a crash report) unless the host handles it.
 */
export function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

/**
 * Fans a change out to every listener. Changes raised while listeners are running (a listener that toggles
 * events) are queued and delivered after the current change has reached every listener, so each listener sees
 * changes in the order they happened. Must not be handed an empty change: callers skip no-ops.
 */
export class ChangeNotifier {
  #listeners: ChangeListener[] = [];
  #queue: StateChange[] = [];
  #dispatching = false;
  readonly #onError: ListenerErrorHandler;

  constructor(onError: ListenerErrorHandler = rethrowLater) {
    this.#onError = onError;
  }

  /** Adds a listener; the returned function removes it (calling it again does nothing). Must not be awaited. */
  add(listener: ChangeListener): () => void {
    // A wrapper gives each registration its own identity, so adding one function twice gives two removable slots.
    const slot: ChangeListener = (change) => listener(change);
    this.#listeners = [...this.#listeners, slot];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== slot);
    };
  }

  /** Delivers `indices` (already sorted, each once) to the listeners registered now. Never throws. */
  emit(indices: readonly number[]): void {
    this.#queue.push(Object.freeze({ indices: Object.freeze(indices.slice()) }));
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let change = this.#queue.shift(); change; change = this.#queue.shift()) {
        // Copy-on-write list: a listener added or removed during delivery takes effect from the next change.
        for (const listener of this.#listeners) this.#call(listener, change);
      }
    } finally {
      this.#dispatching = false;
    }
  }

  #call(listener: ChangeListener, change: StateChange): void {
    try {
      listener(change);
    } catch (err) {
      try {
        this.#onError(err, change);
      } catch (handlerErr) {
        rethrowLater(new AggregateError([err, handlerErr], 'state-change listener and its error handler both threw'));
      }
    }
  }
}
