// The simple backend: QEMU's simpletrace v4 file, fed through a bounded ring that a writer thread drains.
import { TraceError, type RecordBatch, type Sink, type SinkEnv, type SinkStats, type SourceInfo } from '@unitrace/core';
import { ChunkBuffer } from './chunk-buffer.js';
import { writeDirect, type DrainFailure } from './drain.js';
import { SyncDrainer, WorkerDrainer, type Drainer } from './drainer.js';
import { resolveOptions, type ResolvedOptions, type SimpleSinkOptions } from './options.js';
import { RecordIntake } from './record-intake.js';
import { C_ENABLED, C_FD, C_SEEKABLE, F_BYTES, F_FAILURES, F_LOST_EVENTS, F_OFFSET, lockRing, unlockRing } from './ring.js';
import { closeQuietly, mappingRecords, openTraceFile } from './trace-file.js';

/**
 * The monitor's `trace-file` operations (QEMU HMP, spec §4.3) on a file backend. The emulator's monitor uses this
 * shape structurally; methods throw TraceError (E_IO, E_STATE) with a one-line message the monitor can print.
 */
export interface TraceFileControl {
  /** The file name and whether it is open (`Trace file "<name>" on.`). */
  traceFile(): { readonly name: string; readonly on: boolean };
  /**
   * Opens the file (truncating it; a new header and every mapping) or closes it after writing out what is
   * buffered. While off, records are kept up to the bound, then dropped and counted. Does file I/O on the calling
   * thread: not for the tracing hot path.
   */
  setTraceFileEnabled(on: boolean): void;
  /** Resolves when everything buffered is written out. */
  flush(): Promise<void>;
  /** Closes the file, takes the new name, and reopens if it was on. */
  setTraceFile(name: string): void;
}

/** The simple backend's sink: a Sink with the trace-file operations, a synchronous flush and counters. */
export interface SimpleSink extends Sink, TraceFileControl {
  /**
   * Writes everything buffered on the calling thread, without the event loop (the exit hook calls it). Waits at
   * most 5 s for a writer thread blocked on a stalled pipe, then reports and gives up rather than hang the exit.
   */
  flushSync(): void;
  /** Records accepted, records this sink lost (bound or I/O), bytes handed to the OS, failed writes. */
  stats(): SinkStats;
}

/** How long flushSync or a file switch waits for a writer blocked on a stalled pipe before giving up. */
const LOCK_TIMEOUT_MS = 5000;

/**
 * Creates a simple backend. Validates `options` first (TraceError E_SINK_OPTIONS), then opens the file unless
 * `enabled` is false (TraceError E_IO when it cannot). Writing never blocks and never throws.
 */
export function createSimpleSink(options: SimpleSinkOptions | Readonly<Record<string, unknown>>, env: SinkEnv): SimpleSink {
  return new SimpleFileSink(resolveOptions(options as Readonly<Record<string, unknown>>, env.pid), env);
}

class SimpleFileSink implements SimpleSink {
  readonly name = 'simple';
  readonly #env: SinkEnv;
  readonly #buf: ChunkBuffer;
  readonly #intake: RecordIntake;
  readonly #drainer: Drainer;
  readonly #sources = new Map<number, SourceInfo>();
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #file: string;
  #fd = -1;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** One onError report per opened file; later failures are counted. */
  #reported = false;

  constructor(options: ResolvedOptions, env: SinkEnv) {
    this.#env = env;
    this.#file = options.file;
    this.#buf = new ChunkBuffer(options.maxLength, !options.sync);
    this.#intake = new RecordIntake(this.#buf, options.minLength, env.pid, env.clock);
    if (options.enabled) this.#openFile();
    const view = this.#buf.view;
    const onFailure = (f: DrainFailure): void => this.#failed(f);
    this.#drainer = options.sync
      ? new SyncDrainer(view, onFailure)
      : new WorkerDrainer(this.#buf.memory, view, onFailure, (err) =>
          this.#report(new TraceError('E_IO', 'backend simple: the writer thread stopped; writing on the tracing thread from now on', { cause: err })),
        );
    this.#intake.drainer = this.#drainer;
    this.#intake.wrote(); // the writer may have been missing when the file was opened
    if (options.periodicFlushMs > 0) {
      this.#timer = setInterval(() => this.#intake.tick(), options.periodicFlushMs);
      this.#timer.unref();
    }
  }

  describe(source: SourceInfo): void {
    try {
      this.#sources.set(source.index, source);
      // A file opened later gets every mapping up front.
      if (this.#intake.accepting && this.#fd >= 0) this.#intake.queueMappings(mappingRecords([source]));
    } catch (err) {
      this.#report(err);
    }
  }

  write(batch: RecordBatch): void {
    try {
      this.#intake.write(batch);
    } catch (err) {
      this.#report(err);
    }
  }

  dropped(count: number, timeNs: number): void {
    try {
      this.#intake.dropped(count, timeNs);
    } catch (err) {
      this.#report(err);
    }
  }

  async flush(): Promise<void> {
    if (this.#closed) return;
    try {
      const intake = this.#intake;
      if (intake.blocked) intake.unblock();
      await this.#drainer.settle(this.#buf.appended);
      if (intake.blocked && intake.unblock()) await this.#drainer.settle(this.#buf.appended);
    } catch (err) {
      this.#report(err);
    }
  }

  flushSync(): void {
    if (this.#closed) return;
    const ctl = this.#buf.view.ctl;
    if (!lockRing(ctl, LOCK_TIMEOUT_MS)) {
      this.#report(new TraceError('E_IO', `backend simple: ${this.#file}: the writer is blocked; buffered records were not flushed`));
      return;
    }
    try {
      this.#intake.drainLocked((f) => this.#failed(f));
    } finally {
      unlockRing(ctl);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  traceFile(): { readonly name: string; readonly on: boolean } {
    return { name: this.#file, on: this.#fd >= 0 };
  }

  setTraceFileEnabled(on: boolean): void {
    this.#checkUsable();
    if (on === this.#fd >= 0) return;
    if (on) this.#openFile();
    else this.#closeFile();
  }

  setTraceFile(name: string): void {
    this.#checkUsable();
    if (typeof name !== 'string' || name === '') throw new TraceError('E_USAGE', 'backend simple: the trace file name must not be empty');
    const wasOn = this.#fd >= 0;
    if (wasOn) this.#closeFile();
    this.#file = name;
    if (wasOn) this.#openFile();
  }

  stats(): SinkStats {
    const f64 = this.#buf.view.f64;
    return {
      records: this.#intake.records,
      dropped: this.#intake.ownDropped + f64[F_LOST_EVENTS],
      bytes: f64[F_BYTES],
      errors: f64[F_FAILURES],
    };
  }

  /** Opens the file (truncating), writes the header and every mapping directly, then resumes writeout. */
  #openFile(): void {
    const { fd, seekable } = openTraceFile(this.#file);
    const { ctl, f64 } = this.#buf.view;
    if (!lockRing(ctl, LOCK_TIMEOUT_MS)) {
      closeQuietly(fd);
      throw new TraceError('E_IO', `backend simple: cannot open ${this.#file}: the writer is blocked on the previous file`);
    }
    try {
      ctl[C_FD] = fd;
      ctl[C_SEEKABLE] = seekable ? 1 : 0;
      f64[F_OFFSET] = 0;
      try {
        writeDirect(this.#buf.view, mappingRecords(this.#sources.values(), true));
      } catch (err) {
        ctl[C_FD] = -1;
        closeQuietly(fd);
        throw new TraceError('E_IO', `backend simple: cannot write trace file ${this.#file}: ${(err as Error).message}`, { cause: err });
      }
      Atomics.store(ctl, C_ENABLED, 1);
    } finally {
      unlockRing(ctl);
    }
    this.#fd = fd;
    this.#reported = false;
    // Records buffered while the file was off go out now, then the dropped record for what did not fit.
    this.#drainer?.kick();
    if (this.#intake.blocked) this.#intake.unblock();
  }

  /** Writes out what is buffered (QEMU flushes before closing), stops writeout and closes the file. */
  #closeFile(): void {
    const ctl = this.#buf.view.ctl;
    if (!lockRing(ctl, LOCK_TIMEOUT_MS)) {
      throw new TraceError('E_IO', `backend simple: cannot close ${this.#file}: the writer is blocked writing to it`);
    }
    try {
      this.#intake.drainLocked((f) => this.#failed(f));
      Atomics.store(ctl, C_ENABLED, 0);
      ctl[C_FD] = -1;
    } finally {
      unlockRing(ctl);
    }
    closeQuietly(this.#fd);
    this.#fd = -1;
  }

  async #close(): Promise<void> {
    await this.flush();
    this.#intake.accepting = false;
    if (this.#timer) clearInterval(this.#timer);
    await this.#drainer.stop();
    this.#intake.discardPending(); // records kept while the file was off never reach a file
    if (this.#fd >= 0) {
      try {
        this.#closeFile();
      } catch (err) {
        this.#report(err);
      }
    }
    this.#closed = true;
  }

  #checkUsable(): void {
    if (!this.#intake.accepting) throw new TraceError('E_STATE', 'backend simple: the sink is closed');
  }

  #failed(f: DrainFailure): void {
    this.#intake.lost(f.lostEvents + f.lostDropCounts);
    if (this.#reported) return;
    this.#reported = true;
    this.#report(new TraceError('E_IO', `backend simple: cannot write trace file ${this.#file}: ${f.message}`, { cause: f }));
  }

  #report(err: unknown): void {
    try {
      this.#env.onError(err);
    } catch {
      // SinkEnv.onError must not throw; if it does, the producer still must not see it.
    }
  }
}
