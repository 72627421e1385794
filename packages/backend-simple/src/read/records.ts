// The decoded-record view of a trace file: an async iterator fed one read buffer at a time.
import { DROPPED_EVENT_ID, type EventDecl, type RawArg } from '@unitrace/core';
import { EV_LENGTH_BASE } from '../wire.js';
import type { ChunkReader } from './chunk-reader.js';
import { DROPPED, NEED_MORE, type Scanner } from './scanner.js';
import type { SimpleTraceRecord } from './types.js';

/** simpletrace.py's pseudo-event for dropped records: `Dropped_Event(uint64_t num_events_dropped)`. */
export const DROPPED_EVENT_DECL: EventDecl = {
  name: 'Dropped_Event',
  args: [
    {
      name: 'num_events_dropped',
      type: { text: 'uint64_t', normalized: 'uint64_t', kind: 'int', bits: 64, signed: false, isBool: false },
    },
  ],
  format: '',
  properties: [],
  disabled: false,
  location: { file: 'simpletrace' },
};

function decodeArgs(r: ChunkReader, decl: EventDecl, o: number): RawArg[] {
  const v = r.view;
  const args = decl.args;
  const out: RawArg[] = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    if (args[i].type.kind === 'string') {
      const n = v.getUint32(o, true);
      out[i] = r.bytes.slice(o + 4, o + 4 + n);
      o += 4 + n;
    } else {
      out[i] = v.getBigUint64(o, true);
      o += 8;
    }
  }
  return out;
}

function decode(r: ChunkReader, s: Scanner, kind: number): SimpleTraceRecord {
  const v = r.view;
  const b = s.body;
  const timestampNs = v.getBigUint64(b + 8, true);
  const pid = v.getUint32(b + 20, true);
  const offset = r.offsetOf(s.start);
  if (kind === DROPPED) {
    const args = [v.getBigUint64(b + EV_LENGTH_BASE, true)];
    return { offset, kind: 'dropped', id: DROPPED_EVENT_ID, name: 'Dropped_Event', decl: DROPPED_EVENT_DECL, timestampNs, pid, args, payload: undefined };
  }
  const e = s.entry!;
  const decl = e.decl;
  return {
    offset,
    kind: 'event',
    id: e.id,
    name: e.name,
    decl,
    timestampNs,
    pid,
    args: decl === undefined ? undefined : decodeArgs(r, decl, b + EV_LENGTH_BASE),
    payload: decl === undefined ? r.bytes.slice(b + EV_LENGTH_BASE, b + s.length) : undefined,
  };
}

/**
 * Decodes one record per `next()` straight from the read buffer, so the per-record cost of `for await` is one
 * resolved promise and a record's objects die young. Reads the next buffer only when the current one runs out.
 * Records before a corruption are handed out first, then the error.
 */
export class RecordIterator implements AsyncIterator<SimpleTraceRecord> {
  readonly #open: () => Promise<ChunkReader>;
  readonly #scanner: Scanner;
  #reader: ChunkReader | undefined;
  #finished = false;

  constructor(open: () => Promise<ChunkReader>, scanner: Scanner) {
    this.#open = open;
    this.#scanner = scanner;
  }

  next(): Promise<IteratorResult<SimpleTraceRecord>> {
    const r = this.#reader;
    if (r !== undefined && !this.#finished) {
      let kind: number;
      try {
        kind = this.#scanner.next(r);
      } catch (err) {
        return this.#fail(err);
      }
      if (kind !== NEED_MORE) return Promise.resolve({ value: decode(r, this.#scanner, kind), done: false });
    }
    return this.#more();
  }

  async return(): Promise<IteratorResult<SimpleTraceRecord>> {
    this.#finished = true;
    await this.#reader?.close();
    return { value: undefined, done: true };
  }

  async #fail(err: unknown): Promise<never> {
    this.#finished = true;
    await this.#reader?.close();
    throw err;
  }

  async #more(): Promise<IteratorResult<SimpleTraceRecord>> {
    if (this.#finished) return { value: undefined, done: true };
    try {
      const r = (this.#reader ??= await this.#open());
      const s = this.#scanner;
      for (;;) {
        const kind = s.next(r);
        if (kind !== NEED_MORE) return { value: decode(r, s, kind), done: false };
        if (r.eof) {
          if (r.available > 0) throw s.truncated(r);
          this.#finished = true;
          await r.close();
          return { value: undefined, done: true };
        }
        await r.fill();
      }
    } catch (err) {
      return this.#fail(err);
    }
  }
}
