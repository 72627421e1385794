// A guest batch: header, sequence and cumulative record index, framing, then each record. Never trusts a field
// before checking it, never throws for any bytes, and allocates nothing. A batch can be decoded at once (`decode`)
// or in slices (`begin`, then `step` until it returns true) so the host can decode it between vCPU exits.
import type { Tracer } from '@unitrace/core';
import {
  BATCH_HEADER_BYTES,
  BATCH_MAGIC,
  BH_BYTES,
  BH_COUNT,
  BH_DROPPED,
  BH_FIRST_RECORD,
  BH_MAGIC,
  BH_SEQ,
  GR_LENGTH,
  GUEST_RECORD_HEADER_BYTES,
  MAX_GUEST_RECORD_BYTES,
} from '@unitrace/core/channel-abi';
import type { ChannelCounters } from './counters.js';
import { type ClockMapping, type RecordForwarder, VERDICT_TEXT } from './record-forwarder.js';
import type { ChannelTrace } from './trace.js';

const TWO_32 = 4294967296;
const TWO_21 = 2097152;

/** What the decoder needs besides the forwarder: the arrival clock, the tracer (for drops), its tracepoints. */
export interface BatchDecoderOptions {
  readonly forwarder: RecordForwarder;
  readonly counters: ChannelCounters;
  readonly tracer: Tracer;
  /** The guest clock: `ticksAt(hostNs)` gives the arrival time in guest ticks. */
  readonly clock: ClockMapping & { ticksAt(hostNs: number): number };
  readonly trace: ChannelTrace;
  /** The source's name, for tracepoints. */
  readonly source: string;
}

/**
 * Decodes batches of one guest source. `open` is true between an accepted handshake and the next reset or
 * handshake; `restart()` sets the expected sequence and record index back to 0. Losses (guest drops, rejections,
 * records missing from the sequence) reach every sink as one `tracer.dropped` call per batch, after its records.
 * One batch at a time: a batch begun must be finished (`step` until true) before the next `begin` or `restart`.
 */
export class BatchDecoder {
  /** True once a handshake was accepted. Batches are refused whole while it is false. */
  open = false;
  /** The next sequence number expected (u32), and the cumulative index of the next record expected. */
  expectedSeq = 0;
  expectedRecord = 0;
  readonly #o: BatchDecoderOptions;
  // The batch in progress: its buffer, the next record, records left, and what is known of it so far.
  #bytes: Uint8Array | undefined;
  #view: DataView | undefined;
  #p = 0;
  #left = 0;
  #seq = 0;
  #nowNs = 0;
  #nowTicks = 0;
  #lost = 0;
  #rejected = 0;
  #firstReason = 0;

  constructor(options: BatchDecoderOptions) {
    this.#o = options;
  }

  /** True while a batch is begun and not finished. */
  get busy(): boolean {
    return this.#bytes !== undefined;
  }

  /** Records of the batch in progress not forwarded yet (0 when none is). */
  get left(): number {
    return this.#bytes === undefined ? 0 : this.#left;
  }

  /** Expects sequence 0 and record 0 next (a new handshake); a batch still in progress is finished first. */
  restart(): void {
    this.step(Infinity);
    this.expectedSeq = 0;
    this.expectedRecord = 0;
  }

  /**
   * Decodes, at once, the `length` bytes the guest wrote at `offset` of the records item (`bytes`, `view` over the
   * item). A batch is one DMA write at offset 0 whose header says exactly how long it is.
   */
  decode(bytes: Uint8Array, view: DataView, offset: number, length: number): void {
    if (this.begin(bytes, view, 0, offset, length, bytes.length, this.#o.tracer.clock.nowNs())) this.step(Infinity);
  }

  /**
   * Checks the header of the batch of `length` bytes at `start` of `bytes` (written at `offset` of a records item of
   * `capacity` bytes, arriving at host time `nowNs`) and does its sequence accounting. Returns true when records
   * remain to forward: then `step` must be called until it returns true, and `bytes` must not change meanwhile.
   */
  begin(bytes: Uint8Array, view: DataView, start: number, offset: number, length: number, capacity: number, nowNs: number): boolean {
    const o = this.#o;
    const c = o.counters;
    c.batches++;
    if (offset !== 0 || length < BATCH_HEADER_BYTES || length > capacity) return this.#rejectBatch(0, 0, 'batch not written whole from offset 0', nowNs);
    if (view.getUint32(start + BH_MAGIC, true) !== BATCH_MAGIC) return this.#rejectBatch(0, 0, 'bad batch magic', nowNs);
    const seq = view.getUint32(start + BH_SEQ, true);
    const count = view.getUint32(start + BH_COUNT, true);
    const byteLength = view.getUint32(start + BH_BYTES, true);
    const firstHi = view.getUint32(start + BH_FIRST_RECORD + 4, true);
    if (byteLength !== length - BATCH_HEADER_BYTES || count > byteLength / GUEST_RECORD_HEADER_BYTES || firstHi >= TWO_21) {
      return this.#rejectBatch(seq, 0, 'batch header lengths do not match what was written', nowNs);
    }
    // From here on `count` is bounded by what was written, so it can be counted.
    if (!this.open) return this.#rejectBatch(seq, count, 'no accepted handshake', nowNs);
    const first = view.getUint32(start + BH_FIRST_RECORD, true) + firstHi * TWO_32;
    const ahead = (seq - this.expectedSeq) >>> 0;
    if (ahead >= 0x8000_0000 || first < this.expectedRecord) return this.#rejectBatch(seq, count, 'replayed or out-of-order batch', nowNs);
    let lost = 0;
    if (ahead > 0 || first > this.expectedRecord) {
      const missing = first - this.expectedRecord;
      c.gapBatches += ahead;
      c.gapRecords += missing;
      lost += missing;
      o.trace.guest_channel_sequence_gap(o.source, this.expectedSeq, seq, missing);
    }
    this.expectedSeq = (seq + 1) >>> 0;
    this.expectedRecord = first + count;
    const dropped = view.getUint32(start + BH_DROPPED, true);
    if (dropped > 0) {
      c.guestDropped += dropped;
      lost += dropped;
      o.trace.guest_channel_guest_dropped(o.source, dropped);
    }
    if (!framed(view, start, count, length)) {
      c.batchesRejected++;
      c.rejected += count;
      lost += count;
      o.trace.guest_channel_batch_rejected(o.source, seq, count, 'record lengths do not frame the batch');
      if (lost > 0) o.tracer.dropped(lost, nowNs);
      return false;
    }
    this.#bytes = bytes;
    this.#view = view;
    this.#p = start + BATCH_HEADER_BYTES;
    this.#left = count;
    this.#seq = seq;
    this.#nowNs = nowNs;
    this.#nowTicks = o.clock.ticksAt(nowNs);
    this.#lost = lost;
    this.#rejected = 0;
    this.#firstReason = 0;
    o.forwarder.time.snapshot();
    return true;
  }

  /**
   * Forwards up to `max` records of the batch begun last; returns true when the batch is finished (its rejections
   * traced and its losses handed to the tracer). Returns true at once when no batch is in progress.
   */
  step(max: number): boolean {
    const bytes = this.#bytes;
    const view = this.#view;
    if (bytes === undefined || view === undefined) return true;
    const o = this.#o;
    const f = o.forwarder;
    const n = Math.min(max, this.#left);
    this.#p = f.forwardRun(bytes, view, this.#p, n, this.#nowTicks, this.#nowNs);
    this.#left -= n;
    if (f.runRejected > 0) {
      if (this.#rejected === 0) this.#firstReason = f.runFirstReason;
      this.#rejected += f.runRejected;
    }
    if (this.#left > 0) return false;
    this.#bytes = undefined;
    this.#view = undefined;
    const rejected = this.#rejected;
    if (rejected > 0) o.trace.guest_channel_records_rejected(o.source, this.#seq, rejected, VERDICT_TEXT[this.#firstReason]);
    const lost = this.#lost + rejected;
    if (lost > 0) o.tracer.dropped(lost, this.#nowNs);
    return true;
  }

  #rejectBatch(seq: number, count: number, reason: string, nowNs: number): false {
    const o = this.#o;
    o.counters.batchesRejected++;
    o.counters.rejected += count;
    o.trace.guest_channel_batch_rejected(o.source, seq, count, reason);
    if (count > 0) o.tracer.dropped(count, nowNs);
    return false;
  }
}

/** True when `count` records, each 24..MAX_GUEST_RECORD_BYTES long, fill exactly [start + header, start + length). */
function framed(view: DataView, start: number, count: number, length: number): boolean {
  let p = BATCH_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (length - p < GUEST_RECORD_HEADER_BYTES) return false;
    const len = view.getUint32(start + p + GR_LENGTH, true);
    if (len < GUEST_RECORD_HEADER_BYTES || len > MAX_GUEST_RECORD_BYTES || len > length - p) return false;
    p += len;
  }
  return p === length;
}
