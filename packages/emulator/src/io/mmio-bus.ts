// The MMIO bus: ranges on the 64-bit guest-physical space (addresses as numbers up to 2^53), traced and counted here.
import type { TraceEvents } from '../generated/trace.js';
import {
  ALL_ONES_64,
  allOnes32,
  countsByOwner,
  type BusRange,
  type BusStats,
  type FaultHandler,
  isAccessSize,
  makeEntry,
  overlapError,
  publicRange,
  type RangeEntry,
  toU64,
  toWidth32,
} from './bus-ranges.js';
import type { AccessHandlers, AccessSize, Bus } from './handlers.js';

/** Addresses at or above this cannot be claimed (they are not exact as numbers). */
export const MMIO_ADDRESS_LIMIT: number = 2 ** 53;

/** The tracepoints the MMIO bus fires. */
export type MmioBusTrace = Pick<
  TraceEvents,
  'mmio_read' | 'mmio_write' | 'mmio_unassigned_read' | 'mmio_unassigned_write' | 'mmio_invalid_access'
>;

/** Options of `createMmioBus`. */
export interface MmioBusOptions {
  readonly trace: MmioBusTrace;
  /** Told when a handler throws (a device bug); the access then behaves as unassigned. Must not throw. */
  readonly onFault?: FaultHandler;
}

/** Creates an empty MMIO bus. */
export function createMmioBus(options: MmioBusOptions): MmioBus {
  return new MmioBus(options);
}

/**
 * The MMIO bus. Values of up to 4 bytes are unsigned numbers, 8-byte values unsigned bigints. Unassigned addresses
 * (and any address that is not an integer in [0, 2^53)) read as all ones and drop writes; a width the range does not
 * accept, or an access running past its end, behaves the same. Never throws because of an address, width or value.
 */
export class MmioBus implements Bus {
  /** Claimed ranges sorted by base. */
  #sorted: RangeEntry[] = [];
  /** Claimed ranges in registration order (for listing). */
  readonly #ranges: RangeEntry[] = [];
  /** The range of the previous hit: devices are usually hit many times in a row. */
  #last: RangeEntry | undefined;
  readonly #trace: MmioBusTrace;
  readonly #onFault: FaultHandler;
  #unassignedReads = 0;
  #unassignedWrites = 0;
  #invalid = 0;
  #faults = 0;

  constructor(options: MmioBusOptions) {
    this.#trace = options.trace;
    this.#onFault = options.onFault ?? (() => {});
  }

  /** Claims [base, base + length) for `owner`. Throws TraceError('E_STATE') on overlap or a malformed claim. */
  register(base: number, length: number, owner: string, handlers: AccessHandlers): void {
    const entry = makeEntry('mmio', MMIO_ADDRESS_LIMIT, base, length, owner, handlers);
    for (const other of this.#sorted) {
      if (base < other.base + other.length && other.base < base + length) throw overlapError('mmio', entry, other);
    }
    this.#ranges.push(entry);
    this.#sorted = [...this.#sorted, entry].sort((a, b) => a.base - b.base);
  }

  /** MMIO read of `size` bytes: a number for 1, 2 or 4 bytes, a bigint for 8. */
  read(addr: number, size: AccessSize): number | bigint {
    const r = this.#find(addr);
    if (r === undefined) {
      this.#unassignedReads++;
      this.#trace.mmio_unassigned_read(addr, size);
      return ones(size);
    }
    const offset = addr - r.base;
    if (!accepts(r, offset, size) || r.handlers.read === undefined) {
      this.#invalid++;
      this.#trace.mmio_invalid_access(r.owner, addr, size, false);
      return ones(size);
    }
    r.reads++;
    let value: number | bigint;
    try {
      const raw = r.handlers.read(offset, size);
      value = size === 8 ? toU64(raw) : toWidth32(raw, size);
    } catch (err) {
      this.#fault(err, r.owner);
      value = ones(size);
    }
    this.#trace.mmio_read(r.owner, addr, size, value);
    return value;
  }

  /** MMIO write of `size` bytes; the value is truncated to the width (a bigint is expected for 8 bytes). */
  write(addr: number, size: AccessSize, value: number | bigint): void {
    const v = size === 8 ? toU64(value) : toWidth32(value, size);
    const r = this.#find(addr);
    if (r === undefined) {
      this.#unassignedWrites++;
      this.#trace.mmio_unassigned_write(addr, size, v);
      return;
    }
    const offset = addr - r.base;
    if (!accepts(r, offset, size) || r.handlers.write === undefined) {
      this.#invalid++;
      this.#trace.mmio_invalid_access(r.owner, addr, size, true);
      return;
    }
    r.writes++;
    this.#trace.mmio_write(r.owner, addr, size, v);
    try {
      r.handlers.write(offset, size, v);
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

  #find(addr: number): RangeEntry | undefined {
    if (typeof addr !== 'number' || !Number.isSafeInteger(addr) || addr < 0) return undefined;
    const last = this.#last;
    if (last !== undefined && addr >= last.base && addr < last.base + last.length) return last;
    const s = this.#sorted;
    let lo = 0;
    let hi = s.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = s[mid];
      if (addr < r.base) hi = mid - 1;
      else if (addr >= r.base + r.length) lo = mid + 1;
      else return (this.#last = r);
    }
    return undefined;
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

function ones(size: number): number | bigint {
  return size === 8 ? ALL_ONES_64 : allOnes32(size);
}

function accepts(r: RangeEntry, offset: number, size: number): boolean {
  return isAccessSize(size) && (r.mask & size) !== 0 && offset + size <= r.length;
}
