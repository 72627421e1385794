// The ust-json sink: encodes each batch into a chunk buffer and hands full chunks to a bounded, ordered writer.
import { REC_LENGTH, TraceError, type RecordBatch, type Sink, type SinkEnv, type SinkStats, type SourceInfo } from '@unitrace/core';
import { BYTES_PER_PAYLOAD_BYTE, type Encoding, type EventEncoder } from './encode/encoding.js';
import { planSource } from './encode/event-plan.js';
import { ChunkQueue } from './output/chunk-queue.js';
import type { Destination } from './output/destination.js';
import type { ResolvedUstJsonOptions } from './options.js';
import { jsonEncoding } from './to-json.js';
import { msgpackEncoding } from './to-msgpack.js';

// Chunks are at least this big, so that records gather into few writes even with a small minLength.
const CHUNK_BYTES = 64 * 1024;
// A record's length field counts from its id: id, timestamp, length and pid come before any payload.
const RECORD_LENGTH_MIN = 24;
// Chunk buffers kept for reuse; more would only hold memory that a burst needed once.
const POOL_SIZE = 8;

/**
 * Writes records as LTTng-UST-style JSON lines or MessagePack maps. `write` encodes into the current chunk and
 * never throws; full chunks are written asynchronously (blocking only when `sync`), and a record that would take
 * the buffered bytes past `maxLength` is dropped, counted, and reported by a dropped record later. Construct it
 * through `createUstJsonSink`; tests give it their own Destination.
 */
export class UstJsonSink implements Sink {
  readonly name = 'ust-json';
  readonly #env: SinkEnv;
  readonly #encoding: Encoding;
  readonly #procname: string;
  readonly #minLength: number;
  readonly #maxLength: number;
  readonly #chunkBytes: number;
  readonly #dest: Destination;
  readonly #queue: ChunkQueue;
  readonly #encoders: Array<EventEncoder | undefined> = [];
  readonly #pool: Uint8Array[] = [];
  #chunk: Uint8Array;
  #pos = 0;
  #chunkRecords = 0;
  #filePosition = 0;
  #records = 0;
  #dropped = 0;
  #bytes = 0;
  #errors = 0;
  /** Records lost (here or upstream) that no dropped record in the output reports yet. */
  #unreported = 0;
  #ioFailed = false;
  #encodeReported = false;
  #closing: Promise<void> | undefined;

  constructor(dest: Destination, options: ResolvedUstJsonOptions, env: SinkEnv) {
    this.#env = env;
    this.#dest = dest;
    this.#encoding = options.encoding === 'msgpack' ? msgpackEncoding : jsonEncoding;
    this.#procname = options.procname;
    this.#minLength = options.minLength;
    this.#maxLength = options.maxLength;
    this.#chunkBytes = Math.max(CHUNK_BYTES, options.minLength + CHUNK_BYTES / 4);
    this.#chunk = new Uint8Array(this.#chunkBytes);
    this.#queue = new ChunkQueue(dest, options.sync, {
      written: (n) => {
        this.#bytes += n;
      },
      failed: (err, lost) => this.#ioFailure(err, lost),
      release: (buf) => {
        if (buf.length === this.#chunkBytes && this.#pool.length < POOL_SIZE) this.#pool.push(buf);
      },
    });
  }

  /** Compiles an encoder for every event of `source` (again when a source is described again). */
  describe(source: SourceInfo): void {
    try {
      const plans = planSource(source);
      for (let i = 0; i < plans.length; i++) this.#encoders[source.first + i] = this.#encoding.event(plans[i], this.#procname);
    } catch (err) {
      this.#encodeFailure(undefined, err);
    }
  }

  /** Encodes every record of the batch into the chunk buffer; drops and counts what exceeds the bound. */
  write(batch: RecordBatch): void {
    if (this.#closing !== undefined || this.#ioFailed) {
      this.#dropped += batch.count;
      return;
    }
    try {
      this.#writeRecords(batch);
    } catch (err) {
      this.#encodeFailure(undefined, err);
    }
  }

  #writeRecords(batch: RecordBatch): void {
    const count = batch.count;
    const enc = this.#encoding;
    for (let i = 0; i < count; i++) {
      const encoder = this.#encoders[batch.events[i]];
      if (encoder === undefined) {
        this.#lose(1);
        this.#encodeFailure('E_STATE', `ust-json: record of event ${batch.events[i]}, which was never described`);
        continue;
      }
      const o = batch.offsets[i];
      const length = batch.view.getUint32(o + REC_LENGTH, true);
      if (length < RECORD_LENGTH_MIN || o + 8 + length > batch.byteLength) {
        this.#lose(1);
        this.#encodeFailure('E_TRACE_FILE', `ust-json: record ${i} of a batch has a length (${length}) outside the batch`);
        continue;
      }
      const need = encoder.fixedBytes + BYTES_PER_PAYLOAD_BYTE * (length - RECORD_LENGTH_MIN) + enc.droppedBytes;
      if (this.#chunk.length - this.#pos < need) {
        this.#seal(true, need);
        if (this.#ioFailed) {
          this.#dropped += count - i;
          return;
        }
      }
      // A pending dropped record goes in front of the next record that fits; if this one does not, neither does it.
      const mark = this.#pos;
      const unreported = this.#unreported;
      if (unreported > 0) this.#reportDrops(false);
      const end = encoder.encode(this.#chunk, this.#pos, batch, i);
      if (end < 0) {
        this.#pos = mark;
        this.#unreported = unreported;
        this.#lose(1);
        this.#encodeFailure('E_TRACE_FILE', `ust-json: record ${i} of a batch is shorter than its arguments`);
        continue;
      }
      const buffered = this.#queue.bufferedBytes + mark;
      if (buffered > 0 && buffered + (end - mark) > this.#maxLength) {
        this.#pos = mark;
        this.#unreported = unreported;
        this.#lose(1);
        continue;
      }
      this.#pos = end;
      this.#chunkRecords++;
      this.#records++;
    }
    this.#sealIfDue();
  }

  #sealIfDue(): void {
    if (this.#pos > 0 && this.#pos >= this.#minLength) this.#seal(true, 0);
  }

  /** Writes a dropped record for `count` records lost before they reached this sink. */
  dropped(count: number, timeNs: number): void {
    if (this.#closing !== undefined || this.#ioFailed || !(count > 0)) return;
    try {
      this.#unreported += count;
      if (this.#chunk.length - this.#pos < this.#encoding.droppedBytes) this.#seal(true, 0);
      this.#reportDrops(false, timeNs);
      this.#sealIfDue();
    } catch (err) {
      this.#encodeFailure(undefined, err);
    }
  }

  /** Writes out the chunk being filled (and a pending dropped record) and waits until every chunk is written. */
  async flush(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#finishChunk(true);
    await this.#queue.drain();
  }

  /** Like flush, with blocking writes: for the exit path. */
  flushSync(): void {
    if (this.#ioFailed) return;
    try {
      this.#finishChunk(false);
      this.#queue.flushSync();
    } catch (err) {
      this.#encodeFailure(undefined, err);
    }
  }

  /** Flushes, then releases the destination. Idempotent; later writes are counted as dropped. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#finishChunk(true);
      this.#closing = this.#queue.drain().then(() => this.#dest.close());
    }
    return this.#closing;
  }

  /** Records written or buffered, records this sink lost, bytes the OS accepted, failures reported. */
  stats(): SinkStats {
    return { records: this.#records, dropped: this.#dropped, bytes: this.#bytes, errors: this.#errors };
  }

  #finishChunk(startWrite: boolean): void {
    if (this.#ioFailed) return;
    if (this.#unreported > 0) {
      if (this.#chunk.length - this.#pos < this.#encoding.droppedBytes) this.#seal(startWrite, 0);
      this.#reportDrops(true);
    }
    this.#seal(startWrite, 0);
  }

  // Appends a dropped record for everything unreported, if the bound allows it (or `force`: flush and close must
  // report). Room in the chunk is the caller's business.
  #reportDrops(force: boolean, timeNs?: number): void {
    const buffered = this.#queue.bufferedBytes + this.#pos;
    if (!force && buffered > 0 && buffered + this.#encoding.droppedBytes > this.#maxLength) return;
    this.#pos = this.#encoding.dropped(this.#chunk, this.#pos, this.#unreported, timeNs ?? this.#env.clock.nowNs());
    this.#unreported = 0;
  }

  #lose(n: number): void {
    this.#dropped += n;
    this.#unreported += n;
  }

  // Hands the current chunk to the queue and takes a fresh buffer with room for at least `need` bytes.
  #seal(startWrite: boolean, need: number): void {
    if (this.#pos > 0) {
      const chunk = { buf: this.#chunk, length: this.#pos, records: this.#chunkRecords, position: this.#filePosition, done: 0, abandoned: false };
      this.#filePosition += this.#pos;
      this.#chunk = need > this.#chunkBytes ? new Uint8Array(need) : (this.#pool.pop() ?? new Uint8Array(this.#chunkBytes));
      this.#pos = 0;
      this.#chunkRecords = 0;
      if (startWrite) this.#queue.push(chunk);
      else this.#queue.pushQuiet(chunk);
    } else if (need > this.#chunk.length) {
      this.#chunk = new Uint8Array(need);
    }
  }

  #ioFailure(err: unknown, lost: number): void {
    this.#ioFailed = true;
    this.#records -= lost + this.#chunkRecords;
    this.#dropped += lost + this.#chunkRecords;
    this.#pos = 0;
    this.#chunkRecords = 0;
    this.#unreported = 0;
    const reason = err instanceof Error ? err.message : String(err);
    this.#report(new TraceError('E_IO', `ust-json: cannot write ${this.#dest.name}: ${reason}`, { cause: err }));
  }

  // Reports the first encoding failure only (the rest are counted as dropped); builds no error after that.
  #encodeFailure(code: 'E_STATE' | 'E_TRACE_FILE' | undefined, reason: unknown): void {
    if (this.#encodeReported) return;
    this.#encodeReported = true;
    this.#report(code === undefined ? reason : new TraceError(code, String(reason)));
  }

  #report(err: unknown): void {
    this.#errors++;
    try {
      this.#env.onError(err);
    } catch {
      // SinkEnv.onError must not throw; if it does anyway, the producer must still not see it.
    }
  }
}
