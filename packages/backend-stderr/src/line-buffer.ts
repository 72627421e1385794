// Whole lines waiting to be written, with where each ends, so a failed or partial write counts what it lost.
import { ByteWriter } from '@unitrace/core';

/** What the lines lost from some byte offset on held: event records, and counts of dropped notices. */
export interface LineLoss {
  records: number;
  noticed: number;
}

/**
 * A ByteWriter of whole lines plus, per line, its end offset and what it stands for: 0 for an event record, N > 0
 * for a dropped notice of N events. Grows as needed and never shrinks; allocates nothing per line once grown.
 */
export class LineBuffer {
  readonly out: ByteWriter;
  #ends: Uint32Array;
  #kinds: Float64Array;
  #lines = 0;
  /** Event records among the lines. */
  records = 0;

  constructor(capacity: number) {
    this.out = new ByteWriter(capacity);
    this.#ends = new Uint32Array(1024);
    this.#kinds = new Float64Array(1024);
  }

  /** Bytes held. */
  get length(): number {
    return this.out.length;
  }

  /** Lines held. */
  get lines(): number {
    return this.#lines;
  }

  /** Marks the bytes written since the previous line as one line: an event record (`noticed` 0) or a notice. */
  endLine(noticed: number): void {
    const n = this.#lines;
    if (n === this.#ends.length) this.#grow();
    this.#ends[n] = this.out.length;
    this.#kinds[n] = noticed;
    this.#lines = n + 1;
    if (noticed === 0) this.records++;
  }

  /** Counts what the lines that end after byte `offset` held (a line cut by a failed write counts as lost). */
  lossAfter(offset: number, into: LineLoss): void {
    into.records = 0;
    into.noticed = 0;
    for (let i = this.#lines - 1; i >= 0 && this.#ends[i] > offset; i--) {
      if (this.#kinds[i] === 0) into.records++;
      else into.noticed += this.#kinds[i];
    }
  }

  /** Forgets every line. */
  reset(): void {
    this.out.reset();
    this.#lines = 0;
    this.records = 0;
  }

  #grow(): void {
    const ends = new Uint32Array(this.#ends.length * 2);
    ends.set(this.#ends);
    this.#ends = ends;
    const kinds = new Float64Array(this.#kinds.length * 2);
    kinds.set(this.#kinds);
    this.#kinds = kinds;
  }
}
