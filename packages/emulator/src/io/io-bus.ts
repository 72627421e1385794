// The port I/O bus: 65536 ports, one lookup per access, and the single place port accesses are traced and counted.
import type { TraceEvents } from '../generated/trace.js';
import {
  allOnes32,
  countsByOwner,
  type BusRange,
  type BusStats,
  type FaultHandler,
  makeEntry,
  overlapError,
  publicRange,
  type RangeEntry,
  toWidth32,
} from './bus-ranges.js';
import type { AccessHandlers, Bus } from './handlers.js';

/** Number of ports of the x86 I/O space. */
export const IO_PORT_COUNT = 0x10000;

/** The tracepoints the port bus fires. */
export type IoBusTrace = Pick<
  TraceEvents,
  'io_read' | 'io_write' | 'io_unassigned_read' | 'io_unassigned_write' | 'io_invalid_access'
>;

/** Options of `createIoBus`. */
export interface IoBusOptions {
  readonly trace: IoBusTrace;
  /** Told when a handler throws (a device bug); the access then behaves as unassigned. Must not throw. */
  readonly onFault?: FaultHandler;
}

/** Creates an empty port bus. */
export function createIoBus(options: IoBusOptions): IoBus {
  return new IoBus(options);
}

/**
 * The port I/O bus. A multi-byte access is ONE access of that width to the range holding its first port (x86: `outw
 * 0x510` is a 16-bit selector write), offset from the range base. Unassigned ports read as all ones and drop writes;
 * a width the range does not accept, or an access running past the range's end, behaves the same (QEMU's access
 * validator refuses it before the device sees it). Never throws because of a port, width or value.
 */
export class IoBus implements Bus {
  /** Range index + 1 per port; 0 for an unassigned port. */
  readonly #table = new Uint32Array(IO_PORT_COUNT);
  readonly #ranges: RangeEntry[] = [];
  readonly #trace: IoBusTrace;
  readonly #onFault: FaultHandler;
  #unassignedReads = 0;
  #unassignedWrites = 0;
  #invalid = 0;
  #faults = 0;

  constructor(options: IoBusOptions) {
    this.#trace = options.trace;
    this.#onFault = options.onFault ?? (() => {});
  }

  /** Claims ports [base, base + length) for `owner`. Throws TraceError('E_STATE') on overlap or a malformed claim. */
  register(base: number, length: number, owner: string, handlers: AccessHandlers): void {
    const entry = makeEntry('io', IO_PORT_COUNT, base, length, owner, handlers);
    for (let p = base; p < base + length; p++) {
      if (this.#table[p] !== 0) throw overlapError('io ports', entry, this.#ranges[this.#table[p] - 1]);
    }
    this.#ranges.push(entry);
    this.#table.fill(this.#ranges.length, base, base + length);
  }

  /** Port input of `size` bytes (the low 16 bits of `port` select the port, as DX does). */
  read(port: number, size: number): number {
    const p = port & 0xffff;
    const slot = this.#table[p];
    if (slot === 0) {
      this.#unassignedReads++;
      this.#trace.io_unassigned_read(p, size);
      return allOnes32(size);
    }
    const r = this.#ranges[slot - 1];
    const offset = p - r.base;
    if (!accepts(r, offset, size) || r.handlers.read === undefined) {
      this.#invalid++;
      this.#trace.io_invalid_access(r.owner, p, size, false);
      return allOnes32(size);
    }
    r.reads++;
    let value: number;
    try {
      value = toWidth32(r.handlers.read(offset, size as 1 | 2 | 4), size);
    } catch (err) {
      this.#fault(err, r.owner);
      value = allOnes32(size);
    }
    this.#trace.io_read(r.owner, p, size, value);
    return value;
  }

  /** Port output of `size` bytes; the value is truncated to the width (x86 `out`). */
  write(port: number, size: number, value: number): void {
    const p = port & 0xffff;
    const v = toWidth32(value, size);
    const slot = this.#table[p];
    if (slot === 0) {
      this.#unassignedWrites++;
      this.#trace.io_unassigned_write(p, size, v);
      return;
    }
    const r = this.#ranges[slot - 1];
    const offset = p - r.base;
    if (!accepts(r, offset, size) || r.handlers.write === undefined) {
      this.#invalid++;
      this.#trace.io_invalid_access(r.owner, p, size, true);
      return;
    }
    r.writes++;
    this.#trace.io_write(r.owner, p, size, v);
    try {
      r.handlers.write(offset, size as 1 | 2 | 4, v);
    } catch (err) {
      this.#fault(err, r.owner);
    }
  }

  /** The claimed ranges in registration order. */
  ranges(): BusRange[] {
    return this.#ranges.map(publicRange);
  }

  /** A snapshot of the counters. */
  stats(): BusStats {
    return {
      devices: countsByOwner(this.#ranges),
      unassignedReads: this.#unassignedReads,
      unassignedWrites: this.#unassignedWrites,
      invalidAccesses: this.#invalid,
      faults: this.#faults,
    };
  }

  #fault(err: unknown, owner: string): void {
    this.#faults++;
    try {
      this.#onFault(err, owner);
    } catch {
      // A failing fault reporter must not turn a device bug into a host crash.
    }
  }
}

/** Port I/O has no 64-bit accesses; anything else must be a width the range lists and stay inside it. */
function accepts(r: RangeEntry, offset: number, size: number): boolean {
  return (size === 1 || size === 2 || size === 4) && (r.mask & size) !== 0 && offset + size <= r.length;
}
