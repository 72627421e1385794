// The producer's half of the sink: bounded copies into the ring, drop counting, and the dropped records.
import type { Clock, RecordBatch } from '@unitrace/core';
import type { ChunkBuffer } from './chunk-buffer.js';
import { drainRing, type DrainFailure } from './drain.js';
import type { Drainer } from './drainer.js';
import { writeDroppedRecord } from './format.js';
import { C_FD, C_TAIL } from './ring.js';
import { countRingRecords, DROPPED_RECORD_BYTES, MAP_NAME, MAP_NAME_LENGTH } from './wire.js';

/** Mapping records waiting for room: they go into the ring whole, in order, before any later record. */
interface Backlog {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  done: number;
}

/**
 * Takes records on the producing thread. Never blocks (unless its drainer is synchronous) and never allocates on
 * the steady path. When the bound is reached it drops whole records, counts them, and puts a dropped record in
 * the stream as soon as there is room again, before any later record. Single-threaded.
 */
export class RecordIntake {
  readonly #buf: ChunkBuffer;
  readonly #minLength: number;
  readonly #pid: number;
  readonly #clock: Clock;
  readonly #scratch = new DataView(new ArrayBuffer(DROPPED_RECORD_BYTES));
  readonly #scratchBytes = new Uint8Array(this.#scratch.buffer);
  /** Set once by the sink; the intake only asks it for room. */
  drainer: Drainer | undefined;
  /** False after close: records are counted as dropped. */
  accepting = true;
  /** Records accepted into the ring. */
  records = 0;
  /** Records this sink dropped itself. */
  ownDropped = 0;
  /** True while a dropped record or held-back mappings must go out before any further record. */
  #blocked = false;
  #pendingDrop = 0;
  #backlog: Backlog[] = [];

  constructor(buf: ChunkBuffer, minLength: number, pid: number, clock: Clock) {
    this.#buf = buf;
    this.#minLength = minLength;
    this.#pid = pid;
    this.#clock = clock;
  }

  get blocked(): boolean {
    return this.#blocked;
  }

  /** Copies a batch into the ring: whole, or its oldest whole records that fit, the rest dropped and counted. */
  write(batch: RecordBatch): void {
    const n = batch.count;
    if (n === 0) return;
    if (!this.accepting || (this.#blocked && !this.unblock())) {
      this.#drop(n);
      return;
    }
    const len = batch.byteLength;
    const buf = this.#buf;
    // A synchronous writer with nothing queued writes a chunk-sized batch straight from the producer's buffer: the
    // same bytes in the same order as queueing it and writing the queue out at once, without copying it first.
    if (len >= this.#minLength && this.drainer?.writeThrough !== undefined && buf.pending() === 0) {
      if (this.drainer.writeThrough(batch.bytes, len)) {
        this.records += n;
        return;
      }
    }
    if (len > buf.recordRoom()) this.drainer?.kick(); // a sync drainer makes room at once; a writer thread is woken
    if (len <= buf.recordRoom()) {
      buf.push(batch.bytes, len);
      this.records += n;
    } else this.#writeSome(batch);
    if (buf.pending() >= this.#minLength) this.drainer?.kick();
  }

  /** Writes a dropped record for `count` records lost upstream, at `timeNs` when it can go out now. */
  dropped(count: number, timeNs: number): void {
    if (!this.accepting || !(count > 0)) return;
    const c = Math.floor(count);
    if (!this.#blocked && this.#buf.recordRoom() >= DROPPED_RECORD_BYTES) {
      this.#pushDropped(Number.isFinite(timeNs) && timeNs >= 0 ? timeNs : this.#clock.nowNs(), c);
      this.wrote();
    } else {
      this.lost(c);
      this.unblock();
    }
  }

  /** Queues mapping records; they enter the ring before any record written after this call. */
  queueMappings(bytes: Uint8Array): void {
    this.#backlog.push({ bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), done: 0 });
    this.#blocked = true;
    this.unblock();
    this.wrote();
  }

  /**
   * Records lost elsewhere (a failed write) that the next dropped record must report. Only marks them: it may be
   * called while the ring's lock is held.
   */
  lost(count: number): void {
    if (!(count > 0)) return;
    this.#pendingDrop += count;
    this.#blocked = true;
  }

  /**
   * Puts held-back mappings, then the pending dropped record, into the ring. When they do not fit it asks the
   * drainer for room (a sync drainer makes it at once) and goes on while that helps. True when unblocked. Must not
   * be called while holding the ring's lock (a sync drainer takes it): use `drainLocked` there.
   */
  unblock(): boolean {
    for (;;) {
      const before = this.#buf.pending();
      if (this.#tryUnblock()) return true;
      this.drainer?.kick();
      if (this.#tryUnblock()) return true;
      if (this.#buf.pending() >= before) return false; // the writer is asynchronous, or the file is off
    }
  }

  /** Wakes the drainer once a chunk of `minLength` bytes is pending. */
  wrote(): void {
    if (this.#buf.pending() >= this.#minLength) this.drainer?.kick();
  }

  /** Writes out whatever is pending, however little (periodic flush). */
  tick(): void {
    if (!this.accepting) return;
    if (this.#blocked) this.unblock();
    if (this.#buf.pending() > 0) this.drainer?.kick();
  }

  /**
   * Writes everything out on this thread, dropped record and held-back mappings included; the caller holds the
   * ring's lock (exit path, file switch). Stops after a failed write rather than retrying it.
   */
  drainLocked(onFailure: (f: DrainFailure) => void): void {
    for (let round = 0; round < 1000; round++) {
      const failure = drainRing(this.#buf.view);
      if (failure) onFailure(failure);
      if (failure || !this.#blocked) return;
      const before = this.#buf.pending();
      if (!this.#tryUnblock() && this.#buf.pending() === before) return;
    }
  }

  /** Counts the records still in the ring as dropped and empties it (closing while the file is off). */
  discardPending(): void {
    const { ctl, bytes, capacity } = this.#buf.view;
    if (ctl[C_FD] >= 0) return;
    const pending = this.#buf.pending();
    if (pending === 0) return;
    const tail = Atomics.load(ctl, C_TAIL);
    this.ownDropped += countRingRecords(bytes, tail, pending).events;
    Atomics.store(ctl, C_TAIL, (tail + pending) % capacity);
  }

  /**
   * Appends the oldest whole records of `batch` that fit under the bound, asks the drainer for room and goes on
   * while that helps (a sync drainer always makes room); drops the rest (the newest), counted.
   */
  #writeSome(batch: RecordBatch): void {
    const buf = this.#buf;
    const n = batch.count;
    const end = (k: number): number => (k < n ? batch.offsets[k] : batch.byteLength);
    let first = 0;
    for (;;) {
      const start = batch.offsets[first];
      const room = buf.recordRoom();
      let lo = first;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (end(mid) - start <= room) lo = mid;
        else hi = mid - 1;
      }
      if (lo > first) buf.push(batch.bytes, end(lo) - start, start);
      this.records += lo - first;
      first = lo;
      if (first === n) return;
      const before = buf.pending();
      this.drainer?.kick();
      if (buf.pending() >= before) break; // the writer is asynchronous, or the file is off
    }
    this.#drop(n - first);
  }

  #drop(n: number): void {
    this.ownDropped += n;
    this.#pendingDrop += n;
    this.#blocked = true;
  }

  #pushDropped(timeNs: number, count: number): void {
    writeDroppedRecord(this.#scratch, 0, timeNs, this.#pid, count);
    this.#buf.push(this.#scratchBytes, DROPPED_RECORD_BYTES);
  }

  #tryUnblock(): boolean {
    const buf = this.#buf;
    while (this.#backlog.length > 0) {
      const item = this.#backlog[0];
      const room = buf.controlRoom();
      let end = item.done;
      while (end < item.bytes.length) {
        const next = end + MAP_NAME + item.view.getUint32(end + MAP_NAME_LENGTH, true);
        if (next - item.done > room) break;
        end = next;
      }
      if (end > item.done) buf.push(item.bytes.subarray(item.done), end - item.done);
      item.done = end;
      if (end < item.bytes.length) return false;
      this.#backlog.shift();
    }
    if (this.#pendingDrop > 0) {
      if (buf.recordRoom() < DROPPED_RECORD_BYTES) return false;
      this.#pushDropped(this.#clock.nowNs(), this.#pendingDrop);
      this.#pendingDrop = 0;
    }
    this.#blocked = false;
    return true;
  }
}
