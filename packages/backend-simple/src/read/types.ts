// Shapes the simpletrace reader hands out.
import type { EventDecl, RawArg, RecordBatch } from '@unitrace/core';

/** One event or dropped record of a trace file, decoded. */
export interface SimpleTraceRecord {
  /** Byte offset of the record in the file (its type word; its id field in v2/v3 files). */
  readonly offset: number;
  readonly kind: 'event' | 'dropped';
  /** The id as written in the file (0xFFFFFFFFFFFFFFFE for a dropped record). */
  readonly id: bigint;
  /** The event name (from its mapping record or its position in the events list); `Dropped_Event` for drops. */
  readonly name: string;
  /** The declaration from the events list; undefined when no list was given. */
  readonly decl: EventDecl | undefined;
  readonly timestampNs: bigint;
  readonly pid: number;
  /**
   * Arguments decoded by the declared types as simpletrace.py does: u64 words and string bytes (extra payload
   * ignored). A dropped record has one: the number of events dropped. Undefined when the event has no declaration.
   */
  readonly args: readonly RawArg[] | undefined;
  /** The payload bytes (a copy) when there is no declaration to decode them with; undefined otherwise. */
  readonly payload: Uint8Array | undefined;
}

/** What the registry knows about an event: `Registry.lookup` returns one (an EventRef). */
export interface RegistryTarget {
  readonly index: number;
  readonly idLo: number;
  readonly idHi: number;
  readonly decl?: EventDecl;
}

/**
 * Maps an event name of the file to the registry that records are converted for: an EventRef (the record's id is
 * rewritten to the registry's wire id, and its payload checked against the registry's declaration), a bare registry
 * index (the file's id is kept), or undefined for an event the registry does not have (an error).
 */
export type RegistryLookup = (name: string) => RegistryTarget | number | undefined;

/** One step of the batch view: a batch of event records, or a dropped record between batches. */
export type SimpleTraceChunk =
  | {
      readonly kind: 'batch';
      /** Valid until the iteration continues: the reader reuses its buffers. */
      readonly batch: RecordBatch;
    }
  | {
      readonly kind: 'dropped';
      /** Records lost, as a number (exact below 2^53; `exactCount` has the stored u64). */
      readonly count: number;
      /** The dropped record's timestamp in ns, as a number (exact below 2^53; `timestampNs` has the stored u64). */
      readonly timeNs: number;
      /** Byte offset of the dropped record in the file. */
      readonly offset: number;
      /** The pid the dropped record carries (the traced process's). */
      readonly pid: number;
      /** The dropped record's timestamp exactly as stored. */
      readonly timestampNs: bigint;
      /** The count exactly as stored (simpletrace.py's `num_events_dropped`). */
      readonly exactCount: bigint;
    };

/** Options of `openSimpleTrace`. */
export interface SimpleTraceOptions {
  /**
   * The trace-events declarations: name → declaration (later duplicates win), and, for v2/v3 files and `noHeader`,
   * the numbering (id = position in this list). Without it, v4 records keep their names but arguments stay raw.
   */
  readonly events?: readonly EventDecl[];
  /** The file has no header (simpletrace.py --no-header): ids are positions in `events`, type words still present. */
  readonly noHeader?: boolean;
  /** Bytes per read (default 1 MiB, at least 16 KiB); the reader reuses two buffers of about this size. */
  readonly chunkBytes?: number;
}

/** An opened trace file: its header was checked; each iteration reads it again from the start. */
export interface SimpleTrace {
  readonly file: string;
  /** 2, 3 or 4 (4 for `noHeader`). */
  readonly version: number;
  /** Every event and dropped record, decoded. Mappings are consumed, not yielded. Throws at the first corruption. */
  records(): AsyncIterable<SimpleTraceRecord>;
  /**
   * Records re-batched for sinks (`unitrace convert`): each event record is copied into a BatchWriter with
   * `events[i]` from `lookup`; dropped records come between batches. Throws at the first corruption, after the
   * batch holding every record before it.
   */
  batches(lookup: RegistryLookup, options?: { readonly batchBytes?: number }): AsyncIterable<SimpleTraceChunk>;
}
