// The fw_cfg channel's records, decoded after the guest's DMA exit instead of inside it: the batch is copied into a
// bounded queue, the exit is answered, and the host decodes it between later exits while the guest fills its next
// batch. Strictly in arrival order; when the queue is full the guest waits while the host decodes (backpressure).
import type { Clock } from '@unitrace/core';
import type { DeferredTask, DeferredWork } from '../vcpu/deferred-work.js';
import type { BatchDecoder } from './batch-decoder.js';
import { BatchQueue } from './batch-queue.js';

/** Records decoded per step: ~0.1 ms of work, so an exit that arrives meanwhile waits no longer than that. */
export const STEP_RECORDS = 1024;
/** What a batch refused whole costs a step, in records (it is cheap, but a step must stay bounded). */
const REFUSED_COST = 16;

/**
 * Takes each DMA write of a records item: deferred (copied into the queue) while a worker vCPU's exit is serviced and
 * a queue exists, decoded at once otherwise (after everything queued, so order holds). Nothing is ever dropped here:
 * a batch that does not fit waits for room, decoded in the exit.
 */
export class DeferredBatches implements DeferredTask {
  readonly #decoder: BatchDecoder;
  readonly #queue: BatchQueue | undefined;
  readonly #work: DeferredWork | undefined;
  readonly #clock: Clock;
  /** The records item's size: the largest batch a write can bring. */
  readonly #itemBytes: number;
  /** True once the oldest queued batch was begun in the decoder. */
  #begun = false;

  /** `queueBytes` 0 (or no `work`) decodes every batch inside its exit, as before deferral existed. */
  constructor(decoder: BatchDecoder, clock: Clock, itemBytes: number, queueBytes: number, work: DeferredWork | undefined) {
    this.#decoder = decoder;
    this.#clock = clock;
    this.#itemBytes = itemBytes;
    this.#work = queueBytes > 0 ? work : undefined;
    this.#queue = this.#work !== undefined ? new BatchQueue(Math.max(queueBytes, itemBytes)) : undefined;
    this.#work?.add(this);
  }

  /** Batches queued and not fully decoded. */
  get queued(): number {
    return this.#queue?.size ?? 0;
  }

  get pending(): boolean {
    return this.queued > 0;
  }

  /** A DMA write of `length` bytes at `offset` of the records item `item` (`view` over it) just completed. */
  written(item: Uint8Array, view: DataView, offset: number, length: number): void {
    const q = this.#queue;
    if (q === undefined || !this.#work!.inWorkerExit) {
      this.drain();
      this.#decoder.decode(item, view, offset, length);
      return;
    }
    const now = this.#clock.nowNs();
    while (!q.push(item, offset, length, now)) {
      // Full: the guest's exit waits while the oldest batch is decoded (the queue always takes one whole item).
      if (q.size === 0) {
        this.#decoder.decode(item, view, offset, length);
        return;
      }
      this.#finishOldest();
    }
    this.#work!.wake();
  }

  step(): boolean {
    const q = this.#queue;
    if (q === undefined) return false;
    const d = this.#decoder;
    let budget = STEP_RECORDS;
    while (q.size > 0 && budget > 0) {
      if (!this.#begin()) {
        budget -= REFUSED_COST;
        continue;
      }
      const before = d.left;
      const finished = d.step(budget);
      budget -= before - d.left;
      if (!finished) break;
      this.#done();
    }
    return q.size > 0;
  }

  drain(): void {
    const q = this.#queue;
    while (q !== undefined && q.size > 0) this.#finishOldest();
  }

  #finishOldest(): void {
    if (this.#begin()) {
      this.#decoder.step(Infinity);
      this.#done();
    }
  }

  // Begins the oldest batch unless it already is; false when it was refused whole (and is already gone).
  #begin(): boolean {
    if (this.#begun) return true;
    const q = this.#queue!;
    if (this.#decoder.begin(q.bytes, q.view, q.start, q.offset, q.length, this.#itemBytes, q.arrivalNs)) {
      this.#begun = true;
      return true;
    }
    q.shift();
    return false;
  }

  #done(): void {
    this.#begun = false;
    this.#queue!.shift();
  }
}
