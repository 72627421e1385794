// Guest records: id check and mapping, payload check by the host's declared types, state gating, clock
// conversion, and the copy into the tracer's batch. Allocates nothing; a batch's records go through one loop.
import type { Tracer } from '@unitrace/core';
import { GR_ID, GR_LENGTH, GR_TIMESTAMP, GUEST_RECORD_HEADER_BYTES } from '@unitrace/core/channel-abi';
import type { ChannelCounters } from './counters.js';
import { HostTimeMap, type LinearGuestClock } from './host-time.js';
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

/** What a record needs to reach the host time axis: the guest clock's exact, linear mapping. */
export type ClockMapping = LinearGuestClock;

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
  /** Of the records the last `forwardRun` handled: how many it rejected, and the first rejection's verdict. */
  runRejected = 0;
  runFirstReason = 0;
  /** Guest ticks to host ns; `forwardRun`'s caller snapshots it once per batch. */
  readonly time: HostTimeMap;
  /**
   * The host's enabled bit of each event of the source (by host-local id), as of the last `refreshEnabled`: the
   * channel refreshes it on every registry change after finishing the batches that arrived before the change, so a
   * batch is filtered by the state of its arrival even when it is decoded later.
   */
  readonly enabled: Uint8Array;
  readonly #tracer: Tracer;
  readonly #registryState: Uint8Array;
  readonly #counters: ChannelCounters;
  readonly #first: number;
  // The tracer's batch buffer never changes (only its contents), so its views are taken once.
  readonly #dst: Uint8Array;
  readonly #dstView: DataView;

  constructor(layout: SourceLayout, tracer: Tracer, clock: ClockMapping, counters: ChannelCounters, mapSize: number) {
    this.layout = layout;
    this.map = new Int32Array(mapSize).fill(-1);
    this.#tracer = tracer;
    this.#registryState = tracer.registry.state;
    this.time = new HostTimeMap(clock);
    this.#counters = counters;
    this.#first = layout.source.first;
    this.enabled = new Uint8Array(layout.count);
    this.refreshEnabled();
    this.#dst = tracer.writer.bytes;
    this.#dstView = tracer.writer.view;
  }

  /** Maps every guest id to the host event of the same local id (an exact catalog match). */
  mapIdentity(count: number): void {
    for (let i = 0; i < count; i++) this.map[i] = this.#first + i;
    this.guestCount = count;
  }

  /** Copies the registry's enabled bits of the source's events. */
  refreshEnabled(): void {
    this.enabled.set(this.#registryState.subarray(this.#first, this.#first + this.layout.count));
  }

  /** Forgets the mapping: every id is rejected until the next accepted handshake. */
  clear(): void {
    this.guestCount = 0;
  }

  /**
   * Forwards the `n` records starting at `p` of `bytes` (`view` over the same buffer), whose length fields the
   * batch framing has already checked, and returns the offset after them. Counts each record; sets `runRejected`
   * and `runFirstReason`. `nowTicks`/`nowNs` are the batch's arrival time; `time` must hold the current boot time.
   */
  forwardRun(bytes: Uint8Array, view: DataView, p: number, n: number, nowTicks: number, nowNs: number): number {
    const L = this.layout;
    const map = this.map;
    const enabled = this.enabled;
    const fixed = L.fixedBytes;
    const first = this.#first;
    const guestCount = this.guestCount;
    const time = this.time;
    const t = this.#tracer;
    let accepted = 0;
    let filtered = 0;
    let rejected = 0;
    let unknown = 0;
    let clamped = 0;
    let firstReason = 0;
    for (let i = 0; i < n; i++) {
      const len = view.getUint32(p + GR_LENGTH, true);
      const idLo = view.getUint32(p + GR_ID, true);
      let verdict = VERDICT_ACCEPTED;
      let index = -1;
      if (view.getUint32(p + GR_ID + 4, true) !== 0 || idLo >= guestCount) verdict = REJECT_ID;
      else {
        index = map[idLo];
        if (index < 0) verdict = REJECT_UNKNOWN;
        else {
          const local = index - first;
          const want = fixed[local];
          if (want !== 0 ? len !== want : !this.#stringsFit(view, p, len, local)) verdict = REJECT_PAYLOAD;
          else if (enabled[local] === 0) verdict = VERDICT_FILTERED;
        }
      }
      if (verdict === VERDICT_ACCEPTED) {
        const ticks = view.getUint32(p + GR_TIMESTAMP, true) + view.getUint32(p + GR_TIMESTAMP + 4, true) * TWO_32;
        let hostNs: number;
        if (ticks > nowTicks) {
          hostNs = nowNs;
          clamped++;
        } else hostNs = time.hostNs(ticks);
        const payload = len - GUEST_RECORD_HEADER_BYTES;
        const out = t.beginAt(index, payload, hostNs, ticks);
        copyBytes(this.#dst, this.#dstView, out, bytes, view, p + GUEST_RECORD_HEADER_BYTES, payload);
        accepted++;
      } else if (verdict === VERDICT_FILTERED) filtered++;
      else {
        if (rejected === 0) firstReason = verdict;
        rejected++;
        if (verdict === REJECT_UNKNOWN) unknown++;
      }
      p += len;
    }
    const c = this.#counters;
    c.accepted += accepted;
    c.filtered += filtered;
    c.rejected += rejected;
    c.unknown += unknown;
    c.clamped += clamped;
    this.runRejected = rejected;
    this.runFirstReason = firstReason;
    return p;
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
    if (this.enabled[local] === 0) return this.#count(VERDICT_FILTERED);
    let hostNs: number;
    if (ticks > nowTicks) {
      hostNs = nowNs;
      this.#counters.clamped++;
    } else {
      this.time.snapshot();
      hostNs = this.time.hostNs(ticks);
    }
    const n = 8 * this.layout.argCount[local];
    const out = this.#tracer.beginAt(index, n, hostNs, ticks);
    const dst = this.#dst;
    for (let i = 0; i < n; i++) dst[out + i] = bytes[args + i];
    this.#counters.accepted++;
    return VERDICT_ACCEPTED;
  }

  // A payload with strings: each word present, each string's n ≤ 512 and inside the record, no byte left over.
  #stringsFit(view: DataView, o: number, len: number, local: number): boolean {
    const L = this.layout;
    const end = o + len;
    let p = o + GUEST_RECORD_HEADER_BYTES;
    const kinds = L.argKinds;
    for (let k = L.argStart[local], last = k + L.argCount[local]; k < last; k++) {
      if (kinds[k] === 0) {
        p += 8;
        if (p > end) return false;
      } else {
        if (p + 4 > end) return false;
        const n = view.getUint32(p, true);
        if (n > 512 || n > end - p - 4) return false;
        p += 4 + n;
      }
    }
    return p === end;
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

/** Copies `n` bytes from `from` in `src` to `to` in `dst`: four at a time (most payloads are 8-byte words), then the rest. */
function copyBytes(dst: Uint8Array, dstView: DataView, to: number, src: Uint8Array, srcView: DataView, from: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) dstView.setUint32(to + i, srcView.getUint32(from + i, true), true);
  for (; i < n; i++) dst[to + i] = src[from + i];
}
