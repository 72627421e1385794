// A Sink writing Chrome / Perfetto trace-event JSON: one instant event per record, a track per source.
import type { EventDecl, RecordBatch, Sink, SinkEnv, SinkStats, SourceInfo } from '@unitrace/core';
import { openOutput, type Output } from '../io/output.js';
import { asciiJson, bytesJson, hexJson, i64Json, microsJson, microsOfNumber, u64Json } from './json-values.js';

const KIND_STRING = 0;
const KIND_POINTER = 1;
const KIND_BOOL = 2;
const KIND_SMALL = 3;
const KIND_U64 = 4;
const KIND_I64 = 5;

/** What the sink precomputes per event: the JSON text before `ts`, and per argument its key and decoding. */
interface EventPlan {
  /** `{"name":…,"cat":…,"ph":"i","s":"t","ts":` */
  readonly head: string;
  /** Trace-event pid of the event's source (its registry position + 1). */
  readonly pid: number;
  readonly sourceName: string;
  /** `"name":` per argument. */
  readonly keys: readonly string[];
  readonly kinds: Uint8Array;
  readonly bits: Uint8Array;
  readonly signed: Uint8Array;
}

function planOf(decl: EventDecl, source: SourceInfo): EventPlan {
  const n = decl.args.length;
  const kinds = new Uint8Array(n);
  const bits = new Uint8Array(n);
  const signed = new Uint8Array(n);
  decl.args.forEach((a, i) => {
    const t = a.type;
    kinds[i] =
      t.kind === 'string' ? KIND_STRING
      : t.kind === 'pointer' ? KIND_POINTER
      : t.isBool ? KIND_BOOL
      : t.bits < 64 ? KIND_SMALL
      : t.signed ? KIND_I64
      : KIND_U64;
    bits[i] = t.bits;
    signed[i] = t.signed ? 1 : 0;
  });
  return {
    head: `{"name":${asciiJson(decl.name)},"cat":${asciiJson(source.name)},"ph":"i","s":"t","ts":`,
    pid: source.index + 1,
    sourceName: source.name,
    keys: decl.args.map((a) => `${asciiJson(a.name)}:`),
    kinds,
    bits,
    signed,
  };
}

/**
 * The Chrome trace-event sink behind `unitrace convert --to chrome`. Output: `{"traceEvents":[…]}` with one
 * instant event (`ph: "i"`) per record, `ts` in microseconds with the nanoseconds kept as decimals, `pid` = the
 * source's track (host 1, guests 2…) named by `process_name` metadata, `tid` = the pid stored in the record, named
 * by `thread_name` metadata. Arguments go under `args`: integers by their C type as JSON numbers while they are
 * safe integers and decimal strings beyond, bool as true/false, pointers as `"0x…"` strings, string arguments as
 * UTF-8 text. Lost records become instant events named `dropped` with `args.count`. The document is ASCII.
 *
 * Writes synchronously into its Output; the caller awaits `flush()` between batches to keep memory constant.
 * Must not be given records of events it was not described.
 */
export class ChromeSink implements Sink {
  readonly name = 'chrome';
  readonly #out: Output;
  readonly #env: SinkEnv;
  readonly #plans: Array<EventPlan | undefined> = [];
  readonly #threads = new Set<number>();
  #first = true;
  #closed = false;
  #records = 0;
  #errors = 0;

  constructor(out: Output, env: SinkEnv) {
    this.#out = out;
    this.#env = env;
    out.text('{"traceEvents":[');
  }

  #emit(json: string): void {
    this.#out.text(this.#first ? `\n${json}` : `,\n${json}`);
    this.#first = false;
    this.#out.flushIfFull();
  }

  /** Learns a source's events and names its track. */
  describe(source: SourceInfo): void {
    if (this.#closed) return;
    source.events.forEach((decl, i) => {
      this.#plans[source.first + i] = planOf(decl, source);
    });
    const pid = source.index + 1;
    this.#emit(`{"name":"process_name","ph":"M","pid":${pid},"tid":0,"args":{"name":${asciiJson(source.name)}}}`);
    this.#emit(`{"name":"process_sort_index","ph":"M","pid":${pid},"tid":0,"args":{"sort_index":${pid}}}`);
  }

  /** Appends one event per record. Never throws: a record it cannot decode is counted as an error and skipped. */
  write(batch: RecordBatch): void {
    if (this.#closed) return;
    try {
      for (let i = 0; i < batch.count; i++) {
        const plan = this.#plans[batch.events[i]];
        if (plan === undefined) {
          this.#errors++;
          continue;
        }
        const line = this.#line(plan, batch, batch.offsets[i]);
        if (line === undefined) this.#errors++;
        else {
          this.#emit(line);
          this.#records++;
        }
      }
    } catch (err) {
      this.#errors++;
      this.#env.onError(err);
    }
  }

  #line(plan: EventPlan, batch: RecordBatch, o: number): string | undefined {
    const v = batch.view;
    const tid = v.getUint32(o + 28, true);
    const end = o + 8 + v.getUint32(o + 24, true);
    const thread = plan.pid * 4294967296 + tid;
    if (!this.#threads.has(thread)) {
      this.#threads.add(thread);
      this.#emit(`{"name":"thread_name","ph":"M","pid":${plan.pid},"tid":${tid},"args":{"name":${asciiJson(`${plan.sourceName} ${tid}`)}}}`);
    }
    let s = `${plan.head}${microsJson(v.getUint32(o + 20, true), v.getUint32(o + 16, true))},"pid":${plan.pid},"tid":${tid},"args":{`;
    let p = o + 32;
    const { kinds, keys } = plan;
    for (let k = 0; k < kinds.length; k++) {
      if (k > 0) s += ',';
      s += keys[k];
      if (kinds[k] === KIND_STRING) {
        if (p + 4 > end) return undefined;
        const n = v.getUint32(p, true);
        if (n > end - p - 4) return undefined;
        s += bytesJson(batch.bytes, p + 4, p + 4 + n);
        p += 4 + n;
        continue;
      }
      if (p + 8 > end) return undefined;
      const lo = v.getUint32(p, true);
      const hi = v.getUint32(p + 4, true);
      p += 8;
      switch (kinds[k]) {
        case KIND_POINTER:
          s += hexJson(hi, lo);
          break;
        case KIND_BOOL:
          s += lo !== 0 || hi !== 0 ? 'true' : 'false';
          break;
        case KIND_SMALL: {
          const shift = 32 - plan.bits[k];
          s += String(plan.signed[k] === 1 ? (lo << shift) >> shift : shift === 0 ? lo : lo & ((1 << plan.bits[k]) - 1));
          break;
        }
        case KIND_I64:
          s += i64Json(hi, lo);
          break;
        default:
          s += u64Json(hi, lo);
      }
    }
    return `${s}}}`;
  }

  /** Writes a `dropped` instant event (global scope, on the host track) carrying the count. */
  dropped(count: number, timeNs: number): void {
    if (this.#closed || count <= 0) return;
    this.#emit(`{"name":"dropped","cat":"unitrace","ph":"i","s":"g","ts":${microsOfNumber(timeNs)},"pid":1,"tid":${this.#env.pid},"args":{"count":${count}}}`);
  }

  /** Hands the pending text to the stream and waits for it to drain. Never rejects: failures go to `onError`. */
  async flush(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#out.flush();
    } catch (err) {
      this.#errors++;
      this.#env.onError(err);
    }
  }

  /** Closes the JSON document and the output. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#out.text('\n],"displayTimeUnit":"ns"}\n');
    try {
      await this.#out.close();
    } catch (err) {
      this.#errors++;
      this.#env.onError(err);
    }
  }

  /** Records written and records that could not be decoded (this sink never drops: its caller waits on flush). */
  stats(): SinkStats {
    return { records: this.#records, dropped: 0, bytes: 0, errors: this.#errors };
  }
}

/** Options of `createChromeSink`. */
export interface ChromeSinkOptions {
  /** The JSON file to write (truncated); stdout when absent or `-`. */
  readonly file?: string;
}

/**
 * Creates the Chrome trace-event sink (see `ChromeSink`) writing to `options.file`. Throws TraceError('E_IO') when
 * the file cannot be opened. Must be closed, or the JSON document stays unterminated.
 */
export function createChromeSink(options: ChromeSinkOptions, env: SinkEnv): Sink {
  return new ChromeSink(openOutput(options.file), env);
}
