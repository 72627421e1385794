// A Destination in memory that records how it was written to, and can hold asynchronous writes back.
import type { Destination, WriteCallback } from '../../src/output/destination.js';

/** One call the sink made. */
export interface WriteCall {
  readonly kind: 'async' | 'sync';
  readonly length: number;
  readonly position: number | null;
}

/** The destination, its calls, and control over stalls. */
export interface MemoryDestination extends Destination {
  readonly calls: WriteCall[];
  /** Bytes written so far, in order (positions honoured when given). */
  bytes(): Buffer;
  /** Async writes wait from now on until `release()`. */
  stall(): void;
  release(): void;
  /** Async writes not yet completed. */
  readonly pending: number;
  closed: boolean;
}

/** Creates a MemoryDestination (positioned or not). */
export function memoryDestination(positioned = false): MemoryDestination {
  let data = Buffer.alloc(0);
  let stalled = false;
  const waiting: Array<() => void> = [];
  const calls: WriteCall[] = [];
  let pending = 0;
  const put = (buf: Uint8Array, offset: number, length: number, position: number | null): void => {
    const bytes = Buffer.from(buf.subarray(offset, offset + length));
    const at = position ?? data.length;
    if (at + length > data.length) data = Buffer.concat([data, Buffer.alloc(at + length - data.length)]);
    bytes.copy(data, at);
  };
  const dest: MemoryDestination = {
    name: 'memory',
    positioned,
    calls,
    closed: false,
    get pending() {
      return pending;
    },
    write(buf, offset, length, position, cb: WriteCallback) {
      calls.push({ kind: 'async', length, position });
      pending++;
      // Like fs.write, the bytes are read when the write runs, not when it is issued.
      const run = (): void => {
        put(buf, offset, length, position);
        pending--;
        cb(null, length);
      };
      if (stalled) waiting.push(run);
      else setImmediate(run);
    },
    writeSync(buf, offset, length, position) {
      calls.push({ kind: 'sync', length, position });
      put(buf, offset, length, position);
      return length;
    },
    close() {
      dest.closed = true;
    },
    bytes: () => Buffer.from(data),
    stall() {
      stalled = true;
    },
    release() {
      stalled = false;
      for (const run of waiting.splice(0)) run();
    },
  };
  return dest;
}
