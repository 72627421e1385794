// A sink that keeps decoded records in memory: for tests of producers and as the reference for sinkConformance.
import type { EventDecl } from '../events/decl.js';
import { REC_PAYLOAD, recordId, recordTimestamp, type RecordBatch } from '../record.js';
import type { SourceInfo } from '../registry/types.js';
import type { Sink, SinkStats } from '../sink/sink.js';
import { decodeArgs, typedValue, type RawArg } from '../values/arg-values.js';

/** One record as an InMemorySink captured it. */
export interface CapturedRecord {
  /** Registry index of the event. */
  readonly index: number;
  /** Wire id. */
  readonly id: bigint;
  readonly name: string;
  /** Name of the event's source (`host` or a guest name). */
  readonly source: string;
  readonly timestampNs: number;
  readonly pid: number;
  /** Raw guest clock, or undefined for host records. */
  readonly guestClock: number | undefined;
  /** Arguments as stored: u64 words and string bytes. */
  readonly raw: readonly RawArg[];
  /** Arguments by name, interpreted by declared type (see `typedValue`); strings decoded as UTF-8 text. */
  readonly args: Readonly<Record<string, number | bigint | boolean | string>>;
}

/** A dropped-records notice an InMemorySink received. */
export interface CapturedDrop {
  readonly count: number;
  readonly timeNs: number;
}

const utf8 = new TextDecoder();

/**
 * Keeps every record it is given, decoded, in `records`; every `dropped` call in `drops`; every described source in
 * `sources`. Unbounded: for tests only, never for production traces.
 */
export class InMemorySink implements Sink {
  readonly name: string;
  readonly records: CapturedRecord[] = [];
  readonly drops: CapturedDrop[] = [];
  readonly sources: SourceInfo[] = [];
  /** Batches seen, with their record counts: lets tests assert on batching. */
  readonly batchSizes: number[] = [];
  /** Records whose payload did not decode (they are kept nowhere else). */
  undecodable = 0;
  closed = false;
  readonly #decls: Array<{ decl: EventDecl; source: string } | undefined> = [];

  constructor(name = 'memory') {
    this.name = name;
  }

  /** Records `source` and learns its events. */
  describe(source: SourceInfo): void {
    this.sources.push(source);
    source.events.forEach((decl, i) => {
      this.#decls[source.first + i] = { decl, source: source.name };
    });
  }

  /** Decodes and keeps every record of the batch. Never throws: an undecodable record is counted. */
  write(batch: RecordBatch): void {
    if (this.closed) return;
    this.batchSizes.push(batch.count);
    for (let i = 0; i < batch.count; i++) {
      const known = this.#decls[batch.events[i]];
      const start = batch.offsets[i];
      const end = start + 8 + batch.view.getUint32(start + 24, true);
      const raw = known && decodeArgs(known.decl.args, batch.bytes, batch.view, start + REC_PAYLOAD, end);
      if (!known || !raw) {
        this.undecodable++;
        continue;
      }
      const args: Record<string, number | bigint | boolean | string> = {};
      known.decl.args.forEach((a, k) => {
        const v = typedValue(a.type, raw[k]);
        // defineProperty, so that an argument named __proto__ becomes a key instead of replacing the prototype.
        Object.defineProperty(args, a.name, { value: v instanceof Uint8Array ? utf8.decode(v) : v, enumerable: true, writable: true, configurable: true });
      });
      const gc = batch.guestClock?.[i];
      this.records.push({
        index: batch.events[i],
        id: recordId(batch, i),
        name: known.decl.name,
        source: known.source,
        timestampNs: recordTimestamp(batch, i),
        pid: batch.view.getUint32(start + 28, true),
        guestClock: gc === undefined || gc < 0 ? undefined : gc,
        raw,
        args,
      });
    }
  }

  /** Keeps the notice. */
  dropped(count: number, timeNs: number): void {
    this.drops.push({ count, timeNs });
  }

  /** Nothing to write out. */
  async flush(): Promise<void> {}

  /** Nothing to write out. */
  flushSync(): void {}

  /** Marks the sink closed; later writes are ignored. */
  async close(): Promise<void> {
    this.closed = true;
  }

  /** Records kept so far and drops received. */
  stats(): SinkStats {
    return { records: this.records.length, dropped: 0, bytes: 0, errors: 0 };
  }

  /** Names of the captured records, in order: the common assertion. */
  names(): string[] {
    return this.records.map((r) => r.name);
  }

  /** Total of all `dropped` notices received. */
  droppedTotal(): number {
    return this.drops.reduce((n, d) => n + d.count, 0);
  }
}
