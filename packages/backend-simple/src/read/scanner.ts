// Walks the records of a trace file window by window: validates each one and learns mappings as it goes.
import { TraceError, type EventDecl } from '@unitrace/core';
import {
  DROPPED_ID_HI,
  DROPPED_ID_LO,
  DROPPED_RECORD_LENGTH,
  EV_LENGTH_BASE,
  MAP_NAME,
  MAP_NAME_LENGTH,
  MAX_EVENT_LENGTH,
  MAX_NAME_BYTES,
} from '../wire.js';
import type { ChunkReader } from './chunk-reader.js';
import type { IdEntry, IdTable } from './id-table.js';
import { quoteName } from './quote.js';

/** `next` results. */
export const NEED_MORE = 0;
export const EVENT = 1;
export const DROPPED = 2;

/** How the records of a file are laid out and numbered. */
export interface ScanLayout {
  readonly file: string;
  /** v4 and --no-header files: every record starts with a u64 type word (0 mapping, anything else event). */
  readonly typed: boolean;
  /** Ids are positions in the events list (v2, v3, --no-header) rather than names from mapping records. */
  readonly positional: boolean;
  /** Number of events in the list, for messages about positional ids. */
  readonly eventCount: number;
}

const utf8 = new TextDecoder();

/**
 * Finds the next complete event or dropped record in a ChunkReader's window, consuming mapping records on the way.
 * After EVENT or DROPPED, `start` (record start), `body` (its id field), `length` (its length field) and `entry`
 * describe it and the reader's `pos` is past it. Throws TraceError('E_TRACE_FILE') at the first corrupt record.
 */
export class Scanner {
  readonly layout: ScanLayout;
  readonly ids: IdTable;
  /** Called the first time a record of an id is met, before its payload is checked (the batch view's lookup). */
  onFirstUse: ((entry: IdEntry, offset: number) => void) | undefined;
  start = 0;
  body = 0;
  length = 0;
  entry: IdEntry | undefined;

  constructor(layout: ScanLayout, ids: IdTable) {
    this.layout = layout;
    this.ids = ids;
  }

  /** The error for a record at buffer index `at`. */
  corrupt(r: ChunkReader, at: number, message: string): TraceError {
    return new TraceError('E_TRACE_FILE', message, { location: { file: this.layout.file, offset: r.offsetOf(at) } });
  }

  next(r: ChunkReader): number {
    const v = r.view;
    const typed = this.layout.typed;
    for (;;) {
      const pos = r.pos;
      const end = r.end;
      let body = pos;
      if (typed) {
        if (end - pos < 8) return NEED_MORE;
        if (v.getUint32(pos, true) === 0 && v.getUint32(pos + 4, true) === 0) {
          if (end - pos < MAP_NAME) return NEED_MORE;
          const n = v.getUint32(pos + MAP_NAME_LENGTH, true);
          if (n > MAX_NAME_BYTES) throw this.corrupt(r, pos, `mapping record with a ${n}-byte name (at most ${MAX_NAME_BYTES}): corrupt file`);
          if (end - pos < MAP_NAME + n) return NEED_MORE;
          const lo = v.getUint32(pos + 8, true);
          const hi = v.getUint32(pos + 12, true);
          const name = utf8.decode(r.bytes.subarray(pos + MAP_NAME, pos + MAP_NAME + n));
          this.ids.bind(lo, hi, v.getBigUint64(pos + 8, true), name);
          r.pos = pos + MAP_NAME + n;
          continue;
        }
        body = pos + 8;
      }
      if (end - body < EV_LENGTH_BASE) return NEED_MORE;
      const length = v.getUint32(body + 16, true);
      if (length < EV_LENGTH_BASE) {
        throw this.corrupt(r, pos, `event record with length ${length}, less than its ${EV_LENGTH_BASE}-byte header: corrupt file`);
      }
      if (length > MAX_EVENT_LENGTH) {
        throw this.corrupt(r, pos, `event record with length ${length}, more than the largest possible (${MAX_EVENT_LENGTH}): corrupt file`);
      }
      if (end - body < length) return NEED_MORE;
      const lo = v.getUint32(body, true);
      const hi = v.getUint32(body + 4, true);
      this.start = pos;
      this.body = body;
      this.length = length;
      if (lo === DROPPED_ID_LO && hi === DROPPED_ID_HI) {
        if (length < DROPPED_RECORD_LENGTH) {
          throw this.corrupt(r, pos, `dropped record with length ${length}, too short for its count (${DROPPED_RECORD_LENGTH})`);
        }
        r.pos = body + length;
        return DROPPED;
      }
      const entry = this.ids.get(lo, hi);
      if (entry === undefined) throw this.corrupt(r, pos, this.#unknownId(v.getBigUint64(body, true)));
      if (entry.undeclared) {
        throw this.corrupt(r, pos, `${quoteName(entry.name)} event is logged but is not declared in the trace events file, try using trace-events-all instead.`);
      }
      if (entry.targetIndex === -2 && this.onFirstUse) this.onFirstUse(entry, r.offsetOf(pos));
      if (entry.fixedPayload >= 0 ? length - EV_LENGTH_BASE < entry.fixedPayload : !this.#fits(r, entry.check, body + EV_LENGTH_BASE, body + length)) {
        throw this.corrupt(r, pos, `event record of ${quoteName(entry.name)} has a ${length - EV_LENGTH_BASE}-byte payload, too short for its declared arguments`);
      }
      this.entry = entry;
      r.pos = body + length;
      return EVENT;
    }
  }

  /** The error for the incomplete record at the end of the file. */
  truncated(r: ChunkReader): TraceError {
    const left = r.available;
    const what = this.layout.typed && left >= 8 && r.view.getUint32(r.pos, true) === 0 && r.view.getUint32(r.pos + 4, true) === 0 ? 'mapping record' : 'record';
    return this.corrupt(r, r.pos, `truncated ${what}: the file ends ${left} byte${left === 1 ? '' : 's'} into it`);
  }

  #unknownId(id: bigint): string {
    if (this.layout.positional) {
      return `event id ${id} is not a position in the trace events list (${this.layout.eventCount} events)`;
    }
    return `event id ${id} has no mapping record before it`;
  }

  #fits(r: ChunkReader, decl: EventDecl | undefined, o: number, end: number): boolean {
    if (decl === undefined) return true;
    const v = r.view;
    for (const arg of decl.args) {
      if (arg.type.kind === 'string') {
        if (end - o < 4) return false;
        const n = v.getUint32(o, true);
        o += 4;
        if (n > end - o) return false;
        o += n;
      } else {
        if (end - o < 8) return false;
        o += 8;
      }
    }
    return true;
  }
}
