// The contract between the tracer and a backend: Sink, SinkModule and what the tracer hands a sink.
import type { Clock } from '../clock.js';
import type { RecordBatch } from '../record.js';
import type { SourceInfo } from '../registry/types.js';

/** The API version of Sink and SinkModule described here. A loader refuses modules of any other version. */
export const SINK_API_VERSION = 1;

/** Counters a sink keeps about its own output. */
export interface SinkStats {
  /** Records accepted by `write` and now written or buffered. */
  readonly records: number;
  /** Records this sink lost itself (buffer bound reached, I/O error), each counted once. */
  readonly dropped: number;
  /** Bytes handed to the operating system. */
  readonly bytes: number;
  /** I/O or encoding failures reported through `SinkEnv.onError`. */
  readonly errors: number;
}

/**
 * A trace backend. The tracer calls it from the producing thread; every method but `flush` and `close` is
 * synchronous and must return quickly. A sink encodes and writes; enabled checks, timestamps, ids, fan-out and
 * error isolation are the tracer's job.
 */
export interface Sink {
  /** Short name used in messages and statistics (`simple`, `stderr`, …). */
  readonly name: string;
  /**
   * Called once per source before any record of that source is written, and again for the sources that exist
   * whenever the sink starts a new output (e.g. reopened file). Must not throw; must not keep `source` mutable.
   */
  describe(source: SourceInfo): void;
  /**
   * Called with a batch of records. Synchronous: must not await, must not throw, must not keep `batch` or its
   * arrays after returning. When the sink's own bound is reached it drops records, counts them and reports the
   * count in its output as soon as it can (a dropped record).
   */
  write(batch: RecordBatch): void;
  /**
   * Called when records were lost before reaching this sink (a guest's own drops, records a guest channel refused,
   * another hop's losses). The sink writes it like QEMU's dropped record. Must not throw.
   */
  dropped(count: number, timeNs: number): void;
  /** Writes everything buffered to the operating system. Resolves when done; never rejects. */
  flush(): Promise<void>;
  /** Like `flush`, but synchronous: called from the process exit hook. Must not start asynchronous work. */
  flushSync?(): void;
  /** Flushes and releases resources. Idempotent: a second call resolves at once. Never rejects. */
  close(): Promise<void>;
  /** The sink's own counters. */
  stats?(): SinkStats;
}

/** What a backend gets from its host when it is created. */
export interface SinkEnv {
  /** Where a sink reports an I/O or encoding failure instead of throwing. Never throws itself. */
  onError(err: unknown): void;
  /** The process id written into records (QEMU records getpid()). */
  readonly pid: number;
  /** The clock records are stamped with; sinks use it to stamp their own dropped records. */
  readonly clock: Clock;
}

/**
 * What a backend package default-exports, so that `--backend NAME[:ARG]` can load it by name or module path.
 * Validated when loaded: a module without `create`, or of another `apiVersion`, is refused at load time.
 */
export interface SinkModule {
  readonly apiVersion: typeof SINK_API_VERSION;
  /** The backend's name as used on the command line. */
  readonly name: string;
  /** One line saying what the backend writes. */
  readonly description: string;
  /**
   * The option that a bare `NAME:ARG` fills (e.g. `file` for `simple:trace.bin`). Without it, ARG must be
   * `key=value[,key=value…]`.
   */
  readonly positionalOption?: string;
  /**
   * Creates a sink. `options` comes from the command line (an object of strings) or from code (typed values).
   * Throws TraceError('E_SINK_OPTIONS') for options it does not understand, before opening anything.
   */
  create(options: Readonly<Record<string, unknown>>, env: SinkEnv): Sink;
}
