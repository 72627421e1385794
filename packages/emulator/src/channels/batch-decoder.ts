// A guest batch: header, sequence and cumulative record index, framing, then each record. Never trusts a field
// before checking it, never throws for any bytes, and allocates nothing.
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
import { type ClockMapping, type RecordForwarder, REJECT_ID, VERDICT_TEXT } from './record-forwarder.js';
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
 * records missing from the sequence) reach every sink as one `tracer.dropped` call per batch.
 */
export class BatchDecoder {
  /** True once a handshake was accepted. Batches are refused whole while it is false. */
  open = false;
  /** The next sequence number expected (u32), and the cumulative index of the next record expected. */
  expectedSeq = 0;
  expectedRecord = 0;
  readonly #o: BatchDecoderOptions;

  constructor(options: BatchDecoderOptions) {
    this.#o = options;
  }

  /** Expects sequence 0 and record 0 next (a new handshake). */
  restart(): void {
    this.expectedSeq = 0;
    this.expectedRecord = 0;
  }

  /**
   * Decodes the `length` bytes the guest wrote at `offset` of the records item (`bytes`, `view` over the item).
   * A batch is one DMA write at offset 0 whose header says exactly how long it is.
   */
  decode(bytes: Uint8Array, view: DataView, offset: number, length: number): void {
    const o = this.#o;
    const c = o.counters;
    c.batches++;
    if (offset !== 0 || length < BATCH_HEADER_BYTES || length > bytes.length) return this.#rejectBatch(0, 0, 'batch not written whole from offset 0');
    if (view.getUint32(BH_MAGIC, true) !== BATCH_MAGIC) return this.#rejectBatch(0, 0, 'bad batch magic');
    const seq = view.getUint32(BH_SEQ, true);
    const count = view.getUint32(BH_COUNT, true);
    const byteLength = view.getUint32(BH_BYTES, true);
    const firstHi = view.getUint32(BH_FIRST_RECORD + 4, true);
    if (byteLength !== length - BATCH_HEADER_BYTES || count > byteLength / GUEST_RECORD_HEADER_BYTES || firstHi >= TWO_21) {
      return this.#rejectBatch(seq, 0, 'batch header lengths do not match what was written');
    }
    // From here on `count` is bounded by what was written, so it can be counted.
    if (!this.open) return this.#rejectBatch(seq, count, 'no accepted handshake');
    const first = view.getUint32(BH_FIRST_RECORD, true) + firstHi * TWO_32;
    const ahead = (seq - this.expectedSeq) >>> 0;
    if (ahead >= 0x8000_0000 || first < this.expectedRecord) return this.#rejectBatch(seq, count, 'replayed or out-of-order batch');
    const nowNs = o.tracer.clock.nowNs();
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
    const dropped = view.getUint32(BH_DROPPED, true);
    if (dropped > 0) {
      c.guestDropped += dropped;
      lost += dropped;
      o.trace.guest_channel_guest_dropped(o.source, dropped);
    }
    if (!framed(view, count, length)) {
      c.batchesRejected++;
      c.rejected += count;
      lost += count;
      o.trace.guest_channel_batch_rejected(o.source, seq, count, 'record lengths do not frame the batch');
    } else {
      lost += this.#records(bytes, view, seq, count, nowNs);
    }
    if (lost > 0) o.tracer.dropped(lost, nowNs);
  }

  #records(bytes: Uint8Array, view: DataView, seq: number, count: number, nowNs: number): number {
    const o = this.#o;
    const f = o.forwarder;
    const nowTicks = o.clock.ticksAt(nowNs);
    let rejected = 0;
    let firstReason = 0;
    let p = BATCH_HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const len = view.getUint32(p + GR_LENGTH, true);
      const verdict = f.forwardRecord(bytes, view, p, len, nowTicks, nowNs);
      if (verdict >= REJECT_ID) {
        if (rejected === 0) firstReason = verdict;
        rejected++;
      }
      p += len;
    }
    if (rejected > 0) o.trace.guest_channel_records_rejected(o.source, seq, rejected, VERDICT_TEXT[firstReason]);
    return rejected;
  }

  #rejectBatch(seq: number, count: number, reason: string): void {
    const o = this.#o;
    o.counters.batchesRejected++;
    o.counters.rejected += count;
    o.trace.guest_channel_batch_rejected(o.source, seq, count, reason);
    if (count > 0) o.tracer.dropped(count, o.tracer.clock.nowNs());
  }
}

/** True when `count` records, each 24..MAX_GUEST_RECORD_BYTES long, fill exactly [header, length). */
function framed(view: DataView, count: number, length: number): boolean {
  let p = BATCH_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (length - p < GUEST_RECORD_HEADER_BYTES) return false;
    const len = view.getUint32(p + GR_LENGTH, true);
    if (len < GUEST_RECORD_HEADER_BYTES || len > MAX_GUEST_RECORD_BYTES || len > length - p) return false;
    p += len;
  }
  return p === length;
}
