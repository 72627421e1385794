// The stderr sink: QEMU log-backend lines (`[prefix]<name> <formatted>\n`, spec §6) rendered in chunks of whole lines.
import {
  REC_LENGTH,
  REC_PAYLOAD,
  REC_PID,
  REC_TIMESTAMP,
  TraceError,
  isTraceError,
  renderPayload,
  type RecordBatch,
  type Sink,
  type SinkEnv,
  type SinkStats,
  type SourceInfo,
} from '@unitrace/core';
import { ChunkWriter } from './chunk-writer.js';
import { ANSI, PLAIN, useColor, type Palette } from './colors.js';
import { planLine, type LinePlan } from './line-plan.js';
import { resolveOptions, type StderrSinkOptions } from './options.js';
import { openOutput, type Output } from './output.js';
import { StampWriter, measureEpochOffsetUs } from './timestamp.js';

const TWO_32 = 4294967296;
const NOTICE_HEAD = Uint8Array.from('unitrace: dropped ', (c) => c.charCodeAt(0));

/**
 * A Sink printing one QEMU log-backend line per record. Build it with `createStderrSink`. `write` renders every
 * record of a batch into one buffer of whole lines and hands it to the destination when `minLength` is reached and at
 * the end of the batch. Never throws from a Sink method; I/O failures go to `env.onError` once and are counted.
 */
export class StderrSink implements Sink {
  readonly name = 'stderr';
  /** Whether lines carry ANSI colours (decided once, at creation). */
  readonly color: boolean;
  /** Microseconds since the Unix epoch at record time 0, used by the timestamp prefixes (undefined without one). */
  readonly epochOffsetUs: number | undefined;
  readonly #env: SinkEnv;
  readonly #output: Output;
  readonly #writer: ChunkWriter;
  readonly #stamp: StampWriter | undefined;
  readonly #palette: Palette;
  readonly #sync: boolean;
  readonly #minLength: number;
  readonly #maxLength: number;
  readonly #plans: Array<LinePlan | undefined> = [];
  #records = 0;
  #dropped = 0;
  #bytes = 0;
  #errors = 0;
  /** Events lost (here or upstream) that no notice line in the output accounts for yet. */
  #unreported = 0;
  #reported = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** Validates `options` (TraceError 'E_SINK_OPTIONS'), then opens the destination (TraceError 'E_IO'). */
  constructor(options: StderrSinkOptions | Readonly<Record<string, unknown>>, env: SinkEnv) {
    const o = resolveOptions(options as Readonly<Record<string, unknown>>);
    this.#env = env;
    this.#sync = o.sync;
    this.#minLength = o.minLength;
    this.#maxLength = o.maxLength;
    this.#output = openOutput(o, (err) => this.#fail(err));
    this.color = useColor(o.color, this.#output.isTTY);
    this.#palette = this.color ? ANSI : PLAIN;
    this.epochOffsetUs = o.timestamp === 'none' ? undefined : (o.epochOffsetUs ?? measureEpochOffsetUs(() => env.clock.nowNs()));
    this.#stamp =
      this.epochOffsetUs === undefined
        ? undefined
        : new StampWriter(o.timestamp, this.epochOffsetUs, this.#palette.stampOpen, this.#palette.stampClose);
    this.#writer = new ChunkWriter(this.#output, o.sync, Math.min(o.minLength, o.maxLength) + 8192, {
      lost: (records, noticed) => {
        this.#records -= records;
        this.#dropped += records;
        this.#unreported += records + noticed;
      },
      failed: (err) => this.#fail(err),
      wrote: (n) => {
        this.#bytes += n;
      },
      idle: (ok) => {
        if (ok && this.#unreported > 0) this.#notice(this.#env.clock.nowNs());
      },
    });
  }

  /** Compiles the line of every event of `source` (name bytes and format), replacing what an earlier call gave. */
  describe(source: SourceInfo): void {
    try {
      const guest = source.kind === 'guest' ? Math.max(0, source.guestIndex) : -1;
      source.events.forEach((decl, i) => {
        this.#plans[source.first + i] = planLine(decl, guest, this.#palette);
      });
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Renders every record of `batch` as a line and writes them (sync) or queues them (async). Never throws. */
  write(batch: RecordBatch): void {
    if (this.#closed) {
      this.#dropped += batch.count;
      return;
    }
    try {
      const n = batch.count;
      for (let i = 0; i < n; i++) this.#line(batch, i);
      this.#writer.submit();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Prints a notice line `unitrace: dropped <count> events` for records lost before this sink. Never throws. */
  dropped(count: number, timeNs: number): void {
    if (this.#closed || !(count > 0) || !Number.isFinite(count)) return;
    try {
      this.#unreported += Math.floor(count);
      this.#notice(timeNs);
      this.#writer.submit();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Writes everything buffered (async mode: waits for the write in flight). Never rejects. */
  async flush(): Promise<void> {
    if (this.#closed) return this.#closing;
    try {
      if (this.#unreported > 0 && !this.#writer.busy) this.#notice(this.#env.clock.nowNs());
      await this.#writer.flush();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Writes everything buffered before returning (the exit path), a notice for unreported drops included. */
  flushSync(): void {
    if (this.#closed) return;
    try {
      if (this.#unreported > 0) this.#notice(this.#env.clock.nowNs());
      this.#writer.flushSync();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Flushes, then closes a file the sink opened (never a descriptor or stream it was given). Idempotent. */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closing = this.#finish();
    this.#closed = true;
    return this.#closing;
  }

  /** Records written or buffered, records this sink lost, bytes written, write failures. */
  stats(): SinkStats {
    return { records: this.#records, dropped: this.#dropped, bytes: this.#bytes, errors: this.#errors };
  }

  async #finish(): Promise<void> {
    try {
      if (this.#unreported > 0 && !this.#writer.busy) this.#notice(this.#env.clock.nowNs());
      await this.#writer.flush();
      if (this.#unreported > 0) this.#notice(this.#env.clock.nowNs());
      this.#writer.close();
      this.#output.close();
    } catch (err) {
      this.#fail(err);
    }
  }

  #line(batch: RecordBatch, i: number): void {
    const plan = this.#plans[batch.events[i]];
    const view = batch.view;
    const start = batch.offsets[i];
    const timeNs = view.getUint32(start + REC_TIMESTAMP, true) + view.getUint32(start + REC_TIMESTAMP + 4, true) * TWO_32;
    if (plan === undefined) {
      // A record of a source never described: nothing to print it with, so it is lost and said so.
      this.#dropped++;
      this.#unreported++;
      return;
    }
    if (this.#unreported > 0) this.#notice(timeNs);
    const buf = this.#writer.pending;
    const out = buf.out;
    const mark = out.length;
    this.#stamp?.write(out, timeNs, view.getUint32(start + REC_PID, true));
    out.pushBytes(plan.name);
    renderPayload(plan.format, batch.bytes, view, start + REC_PAYLOAD, start + 8 + view.getUint32(start + REC_LENGTH, true), out);
    out.pushByte(0x0a);
    if (!this.#sync && mark > 0 && out.length > this.#maxLength) {
      out.length = mark;
      this.#dropped++;
      this.#unreported++;
      return;
    }
    buf.endLine(0);
    this.#records++;
    if (out.length >= this.#minLength) this.#writer.submit();
  }

  /** Appends a notice for every unreported drop, if the buffer has room; returns whether it did. */
  #notice(timeNs: number): boolean {
    const count = this.#unreported;
    const buf = this.#writer.pending;
    const out = buf.out;
    const mark = out.length;
    this.#stamp?.write(out, timeNs, this.#env.pid);
    out.pushBytes(this.#palette.noticeOpen);
    out.pushBytes(NOTICE_HEAD);
    out.pushAscii(String(count));
    out.pushAscii(count === 1 ? ' event' : ' events');
    out.pushBytes(this.#palette.noticeClose);
    out.pushByte(0x0a);
    if (!this.#sync && mark > 0 && out.length > this.#maxLength) {
      out.length = mark;
      return false;
    }
    buf.endLine(count);
    this.#unreported = 0;
    return true;
  }

  #fail(err: unknown): void {
    this.#errors++;
    if (this.#reported) return;
    this.#reported = true;
    const reason = (err as NodeJS.ErrnoException | null)?.code ?? (err instanceof Error ? err.message : String(err));
    const wrapped = isTraceError(err)
      ? err
      : new TraceError('E_IO', `backend stderr: cannot write to ${this.#output?.label ?? 'its destination'}: ${reason}`, { cause: err });
    try {
      this.#env.onError(wrapped);
    } catch {
      // onError must not throw; if it does, the producer still must not see it.
    }
  }
}
