// The producer's side of the ring: bounded appends of whole records, without allocation on the steady path.
import { C_HEAD, C_LOCK, C_TAIL, createRingMemory, ringView, unlockRing, type RingMemory, type RingView } from './ring.js';

/**
 * Room kept above `maxLength` for mapping records: they describe the records around them and are never dropped,
 * so a source described while the buffer is full still gets its mappings in order.
 */
export const CONTROL_HEADROOM: number = 64 * 1024;

/**
 * Appends records to the shared ring. Records count against `maxLength`; control records (mappings) may also use
 * the headroom above it. Single producer: must only be used from the thread that created it.
 */
export class ChunkBuffer {
  /** The ring's memory, handed to the writer thread. */
  readonly memory: RingMemory;
  /** Views over `memory`, for the drainers. */
  readonly view: RingView;
  /** The bound of buffered record bytes. */
  readonly maxLength: number;
  readonly #bytes: Uint8Array;
  readonly #ctl: Int32Array;
  readonly #capacity: number;
  #head = 0;
  /** Bytes appended since creation: what `flush` waits for the writer to reach. */
  appended = 0;

  /** `shared`: a writer thread reads the ring (false when the producer writes it out itself). */
  constructor(maxLength: number, shared = true) {
    this.maxLength = maxLength;
    // A multiple of 8 keeps the copies of 8-byte-aligned records word-aligned: V8 copies into shared memory with
    // relaxed atomics, byte by byte when source and target alignments differ (five times slower).
    this.memory = createRingMemory(Math.ceil((maxLength + CONTROL_HEADROOM + 1) / 8) * 8, shared);
    this.view = ringView(this.memory);
    this.#bytes = this.view.bytes;
    this.#ctl = this.view.ctl;
    this.#capacity = this.view.capacity;
  }

  /** Bytes in the ring not yet written out (including a chunk the writer is writing right now). */
  pending(): number {
    const d = this.#head - Atomics.load(this.#ctl, C_TAIL);
    return d < 0 ? d + this.#capacity : d;
  }

  /** Bytes of records that may still be appended before the bound is reached. */
  recordRoom(): number {
    return this.maxLength - this.pending();
  }

  /** Bytes of control records that may still be appended (the ring keeps one byte free). */
  controlRoom(): number {
    return this.#capacity - 1 - this.pending();
  }

  /**
   * Copies `length` bytes of `src` from `from` into the ring and publishes them. The caller has checked the room.
   * Allocates nothing when that is the whole of `src` and the copy does not wrap (the tracer's full batches).
   */
  push(src: Uint8Array, length: number, from = 0): void {
    if (this.#head !== 0) this.#rewindIfEmpty();
    const head = this.#head;
    const whole = from === 0 && length === src.length ? src : src.subarray(from, from + length);
    const first = this.#capacity - head;
    if (length <= first) this.#bytes.set(whole, head);
    else {
      this.#bytes.set(whole.subarray(0, first), head);
      this.#bytes.set(whole.subarray(first), 0);
    }
    const next = head + length;
    this.#head = next >= this.#capacity ? next - this.#capacity : next;
    this.appended += length;
    Atomics.store(this.#ctl, C_HEAD, this.#head);
  }

  /**
   * Moves an empty ring back to position 0, so that a writer that keeps up reuses the same few cache-hot chunks
   * instead of sweeping the whole ring through memory. Only when the lock is free at once: never waits.
   */
  #rewindIfEmpty(): void {
    const ctl = this.#ctl;
    if (Atomics.load(ctl, C_TAIL) !== this.#head) return;
    if (Atomics.compareExchange(ctl, C_LOCK, 0, 1) !== 0) return;
    if (Atomics.load(ctl, C_TAIL) === this.#head) {
      this.#head = 0;
      Atomics.store(ctl, C_TAIL, 0);
      Atomics.store(ctl, C_HEAD, 0);
    }
    unlockRing(ctl);
  }
}
