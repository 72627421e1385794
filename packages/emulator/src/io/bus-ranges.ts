// What the port and MMIO buses share: claimed ranges, their counters, width checks and value normalisation.
import { TraceError } from '@unitrace/core';
import type { AccessHandlers, AccessSize } from './handlers.js';

/** One claimed range of a bus, as `ranges()` lists it. */
export interface BusRange {
  /** First port or address, and the number of them. */
  readonly base: number;
  readonly length: number;
  readonly owner: string;
  readonly sizes: readonly AccessSize[];
}

/** Accesses one device has received on a bus (widths it does not accept are not counted here). */
export interface DeviceAccessCounts {
  readonly reads: number;
  readonly writes: number;
}

/** A bus's counters: the single place where accesses are counted. */
export interface BusStats {
  /** Accesses that reached a device, per owner. */
  readonly devices: Readonly<Record<string, DeviceAccessCounts>>;
  /** Reads and writes of addresses no device claims. */
  readonly unassignedReads: number;
  readonly unassignedWrites: number;
  /** Accesses of a claimed address with a width (or extent) its range does not accept: treated as unassigned. */
  readonly invalidAccesses: number;
  /** Handler calls that threw (a device bug): the read gave all ones, the write was dropped. */
  readonly faults: number;
}

/** Called when a device handler throws; must not throw. */
export type FaultHandler = (err: unknown, owner: string) => void;

/** A claimed range with its bit mask of accepted widths and its counters. */
export interface RangeEntry extends BusRange {
  readonly handlers: AccessHandlers;
  /** OR of the accepted widths (1, 2, 4, 8 are distinct bits). */
  readonly mask: number;
  /** Accesses that reached the handlers. */
  reads: number;
  writes: number;
}

/** The all-ones value of each width: what an unmapped or refused read returns. */
export const ALL_ONES_64: bigint = 0xffff_ffff_ffff_ffffn;

/** All ones for a width of at most 4 bytes. */
export function allOnes32(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffff_ffff;
}

/** True for the access widths a bus knows: 1, 2, 4 and 8 bytes. */
export function isAccessSize(size: number): size is AccessSize {
  return size === 1 || size === 2 || size === 4 || size === 8;
}

/** A value of `size` (≤ 4) bytes as an unsigned number, whatever a handler returned. */
export function toWidth32(value: unknown, size: number): number {
  const v = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(BigInt.asUintN(32, value)) : -1;
  return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v >>> 0;
}

/** A 64-bit value as an unsigned bigint (modulo 2^64), whatever a handler gave; non-integers give all ones. */
export function toU64(value: unknown): bigint {
  if (typeof value === 'bigint') return BigInt.asUintN(64, value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt.asUintN(64, BigInt(value));
  return ALL_ONES_64;
}

/**
 * Validates a `register` call and builds its entry. Throws TraceError('E_STATE') for a malformed claim: a claim
 * is written by device code when the machine is built, never by a guest.
 */
export function makeEntry(
  bus: string,
  limit: number,
  base: number,
  length: number,
  owner: string,
  handlers: AccessHandlers,
): RangeEntry {
  const where = `${bus} range ${String(base)}+${String(length)} of ${String(owner)}`;
  if (typeof owner !== 'string' || owner === '') {
    throw new TraceError('E_STATE', `${where}: owner must be a non-empty string`);
  }
  if (!Number.isSafeInteger(base) || !Number.isSafeInteger(length) || base < 0 || length < 1 || base + length > limit) {
    throw new TraceError('E_STATE', `${where}: must lie inside [0, 0x${limit.toString(16)})`);
  }
  const sizes = handlers?.sizes;
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every(isAccessSize)) {
    throw new TraceError('E_STATE', `${where}: sizes must list access widths among 1, 2, 4 and 8`);
  }
  const mask = sizes.reduce((m: number, s: number) => m | s, 0);
  return { base, length, owner, sizes: [...sizes], handlers, mask, reads: 0, writes: 0 };
}

/** The error thrown when two claims overlap. */
export function overlapError(bus: string, entry: RangeEntry, other: RangeEntry): TraceError {
  const hex = (n: number): string => `0x${n.toString(16)}`;
  const span = (r: RangeEntry): string => `${hex(r.base)}-${hex(r.base + r.length - 1)}`;
  return new TraceError(
    'E_STATE',
    `${bus} ${span(entry)} of ${entry.owner} overlaps ${span(other)} already claimed by ${other.owner}`,
  );
}

/** Per-owner totals of a set of ranges. */
export function countsByOwner(entries: readonly RangeEntry[]): Record<string, DeviceAccessCounts> {
  const out: Record<string, { reads: number; writes: number }> = {};
  for (const e of entries) {
    const c = (out[e.owner] ??= { reads: 0, writes: 0 });
    c.reads += e.reads;
    c.writes += e.writes;
  }
  return out;
}

/** A public copy of an entry (no handlers, no counters). */
export function publicRange(e: RangeEntry): BusRange {
  return { base: e.base, length: e.length, owner: e.owner, sizes: e.sizes };
}
