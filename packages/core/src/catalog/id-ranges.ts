// Wire-id ranges of catalog sources (DESIGN.md §IDs): computed guest bases and the load-time checks.
import type { SourceLocation } from '../errors.js';
import type { Diagnostic } from '../events/decl.js';
import type { SourceKind } from './catalog.js';

/** First wire id of guest 0; guest k starts `k * GUEST_RANGE_STRIDE` above it unless its include pins a base. */
export const GUEST_ID_BASE = 0x8000_0000_0000_0000n;
/** Distance between the computed bases of consecutive guests, and the most events one guest may declare. */
export const GUEST_RANGE_STRIDE: bigint = 2n ** 32n;
/** The simpletrace file-header id; never allocated. */
export const HEADER_RECORD_ID = 0xffff_ffff_ffff_ffffn;
/** The simpletrace dropped-events id; never allocated. */
export const DROPPED_RECORD_ID = 0xffff_ffff_ffff_fffen;
/** The host may declare fewer than this many events (ids stay below bit 31, like QEMU's u32 ids). */
export const HOST_EVENT_LIMIT: number = 2 ** 31;

/** The computed first id of guest source k. Must not be used for a source whose include pins a base. */
export function guestBase(k: number): bigint {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`guest index must be a non-negative integer, got ${k}`);
  return GUEST_ID_BASE + BigInt(k) * GUEST_RANGE_STRIDE;
}

/** One source's range as the validator sees it: [base, base + count). */
export interface IdRange {
  readonly name: string;
  readonly kind: SourceKind;
  readonly base: bigint;
  readonly count: number;
  readonly pinned: boolean;
  /** Where the fault is reported: the `include … as` line for a guest, the root file for the host. */
  readonly location: SourceLocation;
  /** Include lines leading to `location`, outermost first. */
  readonly includeChain?: readonly SourceLocation[];
}

const RESERVED = [HEADER_RECORD_ID, DROPPED_RECORD_ID] as const;
const GUEST_WINDOW_END = DROPPED_RECORD_ID; // exclusive: guest ids lie in [2^63, 2^64 - 2)

/**
 * Checks every range: sizes (host < 2^31 events, guest ≤ 2^32), guests inside [2^63, 2^64-2), no reserved id inside
 * a range, and no two ranges overlapping. Returns one error diagnostic per fault, at the offending source.
 * Must not throw or re-base anything: the loader decides what to do with the faults.
 */
export function validateRanges(ranges: readonly IdRange[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fault = (r: IdRange, code: 'E_ID_RANGE' | 'E_ID_EXHAUSTED', message: string): void => {
    out.push({
      severity: 'error',
      code,
      message,
      location: r.location,
      ...(r.includeChain && r.includeChain.length > 0 ? { includeChain: r.includeChain } : {}),
    });
  };
  const healthy: IdRange[] = [];
  for (const r of ranges) {
    const end = r.base + BigInt(r.count);
    const label = `${r.kind} source '${r.name}'`;
    if (r.kind === 'host' && r.count >= HOST_EVENT_LIMIT) {
      fault(r, 'E_ID_EXHAUSTED', `${label} declares ${r.count} events; the host allows fewer than 2^31`);
      continue;
    }
    if (r.kind === 'guest' && BigInt(r.count) > GUEST_RANGE_STRIDE) {
      fault(r, 'E_ID_EXHAUSTED', `${label} declares ${r.count} events; a guest allows at most 2^32`);
      continue;
    }
    const reserved = RESERVED.find((id) => r.count > 0 && r.base <= id && id < end);
    if (reserved !== undefined) {
      fault(r, 'E_ID_RANGE', `${label} range ${showRange(r.base, end)} contains the reserved id ${hex(reserved)}`);
      continue;
    }
    if (r.kind === 'guest' && (r.base < GUEST_ID_BASE || end > GUEST_WINDOW_END)) {
      fault(r, 'E_ID_RANGE', `${label} range ${showRange(r.base, end)} leaves the guest window [${hex(GUEST_ID_BASE)}, ${hex(GUEST_WINDOW_END)})`);
      continue;
    }
    const other = healthy.find((h) => overlaps(h, r));
    if (other !== undefined) {
      const otherEnd = other.base + BigInt(other.count);
      fault(r, 'E_ID_RANGE', `${label} range ${showRange(r.base, end)} overlaps ${other.kind} source '${other.name}' ${showRange(other.base, otherEnd)}`);
      continue;
    }
    healthy.push(r);
  }
  return out;
}

function overlaps(a: IdRange, b: IdRange): boolean {
  if (a.count === 0 || b.count === 0) return false;
  return a.base < b.base + BigInt(b.count) && b.base < a.base + BigInt(a.count);
}

function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

function showRange(base: bigint, end: bigint): string {
  return `[${hex(base)}, ${hex(end)})`;
}
