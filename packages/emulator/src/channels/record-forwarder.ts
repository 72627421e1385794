// One guest record: id check and mapping, payload check by the host's declared types, state gating, clock
// conversion, and the copy into the tracer's batch. Allocates nothing.
import type { Tracer } from '@unitrace/core';
import { GR_ID, GR_LENGTH, GR_TIMESTAMP, GUEST_RECORD_HEADER_BYTES } from '@unitrace/core/channel-abi';
import type { ChannelCounters } from './counters.js';
import type { SourceLayout } from './source-layout.js';

/** What became of one record. Codes from REJECT_ID on are rejections. */
export const VERDICT_ACCEPTED = 0;
export const VERDICT_FILTERED = 1;
export const REJECT_ID = 2;
export const REJECT_UNKNOWN = 3;
export const REJECT_PAYLOAD = 4;
export const REJECT_NOT_WORDS = 5;

/** Why a record was rejected, by verdict code (for trace events). */
export const VERDICT_TEXT: readonly string[] = [
  'accepted',
  'filtered',
  'id outside the guest catalog',
  'event unknown to the host',
  'payload does not match the declared arguments',
  'event cannot travel through the hypercall port',
];

/** What a record needs to reach the host time axis. */
export interface ClockMapping {
  /** The earliest host ns at which the guest clock read `ticks` (GuestClock.toHostNs). */
  toHostNs(ticks: number): number;
}

const TWO_32 = 4294967296;

/**
 * Validates and forwards guest records of one source. `map` and `guestCount` are set by each accepted handshake;
 * before that `guestCount` is 0 and every id is out of range.
 */
export class RecordForwarder {
  readonly layout: SourceLayout;
  /** Guest-local id → registry index, or -1 for an event the host does not know. */
  readonly map: Int32Array;
  /** Events the guest declared; ids at or past it are rejected. */
  guestCount = 0;
  readonly #tracer: Tracer;
  readonly #state: Uint8Array;
  readonly #clock: ClockMapping;
  readonly #counters: ChannelCounters;
  readonly #first: number;

  constructor(layout: SourceLayout, tracer: Tracer, clock: ClockMapping, counters: ChannelCounters, mapSize: number) {
    this.layout = layout;
    this.map = new Int32Array(mapSize).fill(-1);
    this.#tracer = tracer;
    this.#state = tracer.registry.state;
    this.#clock = clock;
    this.#counters = counters;
    this.#first = layout.source.first;
  }

  /** Maps every guest id to the host event of the same local id (an exact catalog match). */
  mapIdentity(count: number): void {
    for (let i = 0; i < count; i++) this.map[i] = this.#first + i;
    this.guestCount = count;
  }

  /** Forgets the mapping: every id is rejected until the next accepted handshake. */
  clear(): void {
    this.guestCount = 0;
  }

  /**
   * Forwards the record at `o` of `bytes` (a guest record whose length field, already checked against the batch
   * framing, is `len`). Counts it and returns its verdict. `nowTicks`/`nowNs` are the arrival time.
   */
  forwardRecord(bytes: Uint8Array, view: DataView, o: number, len: number, nowTicks: number, nowNs: number): number {
    const verdict = this.#check(view, o, len);
    if (verdict !== VERDICT_ACCEPTED) return this.#count(verdict);
    const index = this.map[view.getUint32(o + GR_ID, true)];
    if (this.#state[index] === 0) return this.#count(VERDICT_FILTERED);
    const ticks = view.getUint32(o + GR_TIMESTAMP, true) + view.getUint32(o + GR_TIMESTAMP + 4, true) * TWO_32;
    this.#emit(index, bytes, o + GUEST_RECORD_HEADER_BYTES, len - GUEST_RECORD_HEADER_BYTES, ticks, nowTicks, nowNs);
    return VERDICT_ACCEPTED;
  }

  /**
   * Forwards a hypercall record: local id `id`, `ticks` stamped by the guest, and the event's words read from
   * `bytes` at `args` (8 bytes per declared argument). Counts it and returns its verdict.
   */
  forwardWords(id: number, ticks: number, bytes: Uint8Array, args: number, nowTicks: number, nowNs: number): number {
    if (!(id >= 0 && id < this.guestCount)) return this.#count(REJECT_ID);
    const index = this.map[id];
    if (index < 0) return this.#count(REJECT_UNKNOWN);
    const local = index - this.#first;
    if (this.layout.wordsOnly[local] === 0) return this.#count(REJECT_NOT_WORDS);
    if (this.#state[index] === 0) return this.#count(VERDICT_FILTERED);
    this.#emit(index, bytes, args, 8 * this.layout.argCount[local], ticks, nowTicks, nowNs);
    return VERDICT_ACCEPTED;
  }

  // Id in range and known, and a payload that is exactly what the host's declared arguments take.
  #check(view: DataView, o: number, len: number): number {
    const idLo = view.getUint32(o + GR_ID, true);
    if (view.getUint32(o + GR_ID + 4, true) !== 0 || idLo >= this.guestCount) return REJECT_ID;
    const index = this.map[idLo];
    if (index < 0) return REJECT_UNKNOWN;
    const local = index - this.#first;
    const L = this.layout;
    const end = o + len;
    let p = o + GUEST_RECORD_HEADER_BYTES;
    const kinds = L.argKinds;
    for (let k = L.argStart[local], last = k + L.argCount[local]; k < last; k++) {
      if (kinds[k] === 0) {
        p += 8;
        if (p > end) return REJECT_PAYLOAD;
      } else {
        if (p + 4 > end) return REJECT_PAYLOAD;
        const n = view.getUint32(p, true);
        if (n > 512 || n > end - p - 4) return REJECT_PAYLOAD;
        p += 4 + n;
      }
    }
    return p === end ? VERDICT_ACCEPTED : REJECT_PAYLOAD;
  }

  #emit(index: number, bytes: Uint8Array, from: number, n: number, ticks: number, nowTicks: number, nowNs: number): void {
    let hostNs: number;
    if (ticks > nowTicks) {
      hostNs = nowNs;
      this.#counters.clamped++;
    } else hostNs = this.#clock.toHostNs(ticks);
    const t = this.#tracer;
    const out = t.beginAt(index, n, hostNs, ticks);
    const dst = t.writer.bytes;
    for (let i = 0; i < n; i++) dst[out + i] = bytes[from + i];
    this.#counters.accepted++;
  }

  #count(verdict: number): number {
    const c = this.#counters;
    if (verdict === VERDICT_FILTERED) c.filtered++;
    else {
      c.rejected++;
      if (verdict === REJECT_UNKNOWN) c.unknown++;
    }
    return verdict;
  }
}

/** The length field of the guest record at `o` (for framing checks). */
export function recordLength(view: DataView, o: number): number {
  return view.getUint32(o + GR_LENGTH, true);
}
