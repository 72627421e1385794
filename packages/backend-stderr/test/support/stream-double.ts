// Test helper: a writable stream double that records chunks and can stall (hold write callbacks) until released.
import type { StderrSinkStream } from '../../src/index.js';

/** A stream double: `chunks` holds copies of what was written; `stalled` holds callbacks back until `release()`. */
export interface StreamDouble extends StderrSinkStream {
  readonly chunks: Uint8Array[];
  isTTY: boolean;
  stalled: boolean;
  /** Calls every held callback and stops stalling. */
  release(): void;
  /** Everything written, concatenated. */
  bytes(): Uint8Array;
  /** Everything written, as latin1 text. */
  text(): string;
}

/** Creates a stream double; `isTTY` makes it look like a terminal. */
export function createStreamDouble(options: { isTTY?: boolean; stalled?: boolean; fail?: Error } = {}): StreamDouble {
  const held: Array<() => void> = [];
  const chunks: Uint8Array[] = [];
  const double: StreamDouble = {
    chunks,
    isTTY: options.isTTY ?? false,
    stalled: options.stalled ?? false,
    write(chunk: Uint8Array, callback?: (err?: Error | null) => void): boolean {
      if (options.fail) {
        if (callback) queueMicrotask(() => callback(options.fail));
        return false;
      }
      chunks.push(Uint8Array.from(chunk));
      if (!callback) return true;
      if (double.stalled) held.push(() => callback(null));
      else queueMicrotask(() => callback(null));
      return !double.stalled;
    },
    release(): void {
      double.stalled = false;
      for (const h of held.splice(0)) h();
    },
    bytes: () => Buffer.concat(chunks),
    text: () => Buffer.concat(chunks).toString('latin1'),
  };
  return double;
}
