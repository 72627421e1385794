// A bounded FIFO of guest batches copied out of the records item, so the host can decode them after the DMA exit
// that brought them has been answered. All memory is allocated when the queue is made; a batch that does not fit is
// refused (the caller then makes room by decoding, which is the guest's backpressure), never buffered elsewhere.

/** The most batches a queue holds at once, whatever their size. */
export const MAX_QUEUED_BATCHES = 256;

/**
 * Batches as written to the records item: their bytes (stored contiguously, in a ring of `capacity` bytes), the
 * item offset they were written at and their arrival time. A batch written at a non-zero offset keeps no bytes: the
 * decoder refuses it without reading any.
 */
export class BatchQueue {
  /** The ring's bytes and a view of them; an entry's bytes are at [start, start + length). */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #start = new Int32Array(MAX_QUEUED_BATCHES);
  readonly #offset = new Int32Array(MAX_QUEUED_BATCHES);
  readonly #length = new Int32Array(MAX_QUEUED_BATCHES);
  readonly #arrival = new Float64Array(MAX_QUEUED_BATCHES);
  #pushed = 0;
  #shifted = 0;
  #byteHead = 0;
  #byteTail = 0;
  // While wrapped, the newest entries sit before the oldest; `#wrapSeq` is the first of them.
  #wrapped = false;
  #wrapSeq = 0;

  /** A queue of `capacity` bytes (at least the largest batch it must take). */
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Batches queued. */
  get size(): number {
    return this.#pushed - this.#shifted;
  }

  /** Bytes the ring holds. */
  get capacity(): number {
    return this.bytes.length;
  }

  /**
   * Queues the batch of `length` bytes written at `offset` (its bytes are `src[0, length)` when offset is 0) that
   * arrived at `arrivalNs`. Returns false, changing nothing, when the entries or the bytes are full.
   */
  push(src: Uint8Array, offset: number, length: number, arrivalNs: number): boolean {
    if (this.size >= MAX_QUEUED_BATCHES) return false;
    if (this.size === 0) {
      this.#byteHead = this.#byteTail = 0;
      this.#wrapped = false;
    }
    const n = offset === 0 ? length : 0;
    let at = this.#byteTail;
    if (this.#wrapped) {
      if (at + n > this.#byteHead) return false;
    } else if (at + n > this.bytes.length) {
      if (n > this.#byteHead) return false;
      at = 0;
      this.#wrapped = true;
      this.#wrapSeq = this.#pushed;
    }
    if (n > 0) this.bytes.set(src.subarray(0, n), at);
    const slot = this.#pushed % MAX_QUEUED_BATCHES;
    this.#start[slot] = at;
    this.#offset[slot] = offset;
    this.#length[slot] = length;
    this.#arrival[slot] = arrivalNs;
    this.#byteTail = at + n;
    this.#pushed++;
    return true;
  }

  /** Where the oldest batch's bytes start (call only while `size > 0`). */
  get start(): number {
    return this.#start[this.#shifted % MAX_QUEUED_BATCHES];
  }

  /** The item offset the oldest batch was written at. */
  get offset(): number {
    return this.#offset[this.#shifted % MAX_QUEUED_BATCHES];
  }

  /** The oldest batch's length as written. */
  get length(): number {
    return this.#length[this.#shifted % MAX_QUEUED_BATCHES];
  }

  /** The oldest batch's arrival time (host ns). */
  get arrivalNs(): number {
    return this.#arrival[this.#shifted % MAX_QUEUED_BATCHES];
  }

  /** Drops the oldest batch (once decoded); its bytes become free. */
  shift(): void {
    if (this.size === 0) return;
    this.#shifted++;
    if (this.size === 0) {
      this.#byteHead = this.#byteTail = 0;
      this.#wrapped = false;
      return;
    }
    if (this.#wrapped && this.#shifted === this.#wrapSeq) this.#wrapped = false;
    this.#byteHead = this.start;
  }
}
