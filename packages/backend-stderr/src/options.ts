// The stderr sink's options: their types, defaults, and validation of values given as CLI strings or from code.
import { TraceError } from '@unitrace/core';

/**
 * The line prefix, named after the QEMU log output it reproduces (spec §6): `none` (the default; no prefix),
 * `iso` (QEMU ≥ 10.1 `-msg timestamp=on`), `tid` (QEMU 6.x–10.0 `-msg timestamp=on`), `pid` (QEMU 2.x).
 */
export type TimestampStyle = 'none' | 'iso' | 'tid' | 'pid';

/** When to colour lines: `auto` only when the destination is a terminal (and NO_COLOR is unset). */
export type ColorMode = 'auto' | 'always' | 'never';

/**
 * A destination stream: anything with `write(chunk, callback?)`, like `process.stderr` or a Node Writable. When it
 * has a numeric `fd`, the sink writes to that descriptor directly and uses the stream for nothing else.
 */
export interface StderrSinkStream {
  /** The file descriptor behind the stream, when there is one. */
  readonly fd?: unknown;
  /** True for a terminal: `color: 'auto'` colours only then. */
  readonly isTTY?: boolean;
  /**
   * Takes a chunk the sink will not touch again. In async mode the sink waits for `callback` before it writes the
   * next chunk, so a stream used with `sync: false` must call it (Node Writables do).
   */
  write(chunk: Uint8Array, callback?: (err?: Error | null) => void): unknown;
  /** Used, when present, to catch the stream's 'error' events so they never crash the process. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  /** Used, when present, to remove that listener on close. */
  off?(event: 'error', listener: (err: Error) => void): unknown;
}

/** Options of `createStderrSink`. Every field is optional; from the command line each one arrives as a string. */
export interface StderrSinkOptions {
  /** File descriptor to write to (default 2, stderr). The sink never closes a descriptor it was given. */
  readonly fd?: number;
  /** A stream to write to instead of a descriptor (code only). The sink never ends it. */
  readonly stream?: StderrSinkStream;
  /** A file to create (truncated, like QEMU's `-D`) and write to; closed by `close()`. */
  readonly file?: string;
  /** Line prefix (default `none`). `on`/`off` are accepted as QEMU's `-msg timestamp=` spells them: iso/none. */
  readonly timestamp?: TimestampStyle;
  /** Colours (default `auto`). */
  readonly color?: ColorMode;
  /** Write each batch before `write` returns (default true, so nothing is lost at exit). */
  readonly sync?: boolean;
  /** Bytes of whole lines gathered before a write is issued in the middle of a batch (default 64 KiB). */
  readonly minLength?: number;
  /** Async mode only: the most bytes held while the destination is busy; lines beyond it are dropped (default 16 MiB). */
  readonly maxLength?: number;
  /**
   * Microseconds since the Unix epoch at record time 0: a record stamped `t` ns prints as `floor(t / 1000) +
   * epochOffsetUs` µs. Default: measured once at creation from `performance.timeOrigin + performance.now()` and
   * `env.clock.nowNs()`. Give it to replay a trace with the wall-clock times of the run that recorded it.
   */
  readonly epochOffsetUs?: number;
}

/** Options after validation and defaults. Exactly one destination is set. */
export interface ResolvedOptions {
  readonly fd: number | undefined;
  readonly stream: StderrSinkStream | undefined;
  readonly file: string | undefined;
  readonly timestamp: TimestampStyle;
  readonly color: ColorMode;
  readonly sync: boolean;
  readonly minLength: number;
  readonly maxLength: number;
  readonly epochOffsetUs: number | undefined;
}

/** Default `minLength`: 64 KiB, QEMU's simple backend flush threshold and core's batch size. */
export const DEFAULT_MIN_LENGTH: number = 64 * 1024;
/** Default `maxLength`: 16 MiB held at most while an async destination is busy. */
export const DEFAULT_MAX_LENGTH: number = 16 * 1024 * 1024;

const KEYS = ['fd', 'stream', 'file', 'timestamp', 'color', 'sync', 'minLength', 'maxLength', 'epochOffsetUs'];
const TIMESTAMPS: Readonly<Record<string, TimestampStyle>> = { none: 'none', off: 'none', iso: 'iso', on: 'iso', tid: 'tid', pid: 'pid' };
const COLORS: readonly string[] = ['auto', 'always', 'never'];
const TRUE_WORDS: readonly string[] = ['true', 'on', 'yes', '1'];
const FALSE_WORDS: readonly string[] = ['false', 'off', 'no', '0'];

function fail(message: string): never {
  throw new TraceError('E_SINK_OPTIONS', `backend stderr: ${message}`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A non-negative safe integer from a number or a decimal string with an optional K or M (×1024) suffix. */
function size(key: string, value: unknown, allowSuffix: boolean): number {
  let n = Number.NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = allowSuffix ? /^(\d+)([kKmM]?)$/.exec(value) : /^(-?\d+)$/.exec(value);
    if (m) n = Number(m[1]) * (m[2] === 'k' || m[2] === 'K' ? 1024 : m[2] === 'm' || m[2] === 'M' ? 1024 * 1024 : 1);
  }
  if (!Number.isSafeInteger(n) || (allowSuffix && n < 0)) {
    fail(`${key} must be ${allowSuffix ? 'a non-negative integer (K and M suffixes allowed)' : 'an integer'}, got ${show(value)}`);
  }
  return n;
}

function flag(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (TRUE_WORDS.includes(v)) return true;
    if (FALSE_WORDS.includes(v)) return false;
  }
  return fail(`${key} must be true or false, got ${show(value)}`);
}

function isStream(value: unknown): value is StderrSinkStream {
  return typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function';
}

/**
 * Validates options from the command line (strings) or from code (typed values) and applies the defaults. Throws
 * TraceError('E_SINK_OPTIONS') naming the first bad option; opens nothing.
 */
export function resolveOptions(options: Readonly<Record<string, unknown>>): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.includes(key)) fail(`unknown option ${key} (known: ${KEYS.join(', ')})`);
  }
  const given = (key: string): boolean => options[key] !== undefined;
  const destinations = ['fd', 'stream', 'file'].filter(given);
  if (destinations.length > 1) fail(`give at most one of fd, stream and file (got ${destinations.join(' and ')})`);

  const fd = given('fd') ? size('fd', options.fd, false) : undefined;
  if (fd !== undefined && fd < 0) fail(`fd must be a non-negative integer, got ${show(options.fd)}`);
  if (given('stream') && !isStream(options.stream)) fail('stream must have a write() method');
  if (given('file') && (typeof options.file !== 'string' || options.file === '')) fail(`file must be a path, got ${show(options.file)}`);

  let timestamp: TimestampStyle = 'none';
  if (given('timestamp')) {
    const t = options.timestamp;
    if (typeof t !== 'string' || !Object.hasOwn(TIMESTAMPS, t)) {
      fail(`timestamp must be none, iso, tid or pid (or on/off), got ${show(t)}`);
    }
    timestamp = TIMESTAMPS[t];
  }
  const color = given('color') ? options.color : 'auto';
  if (typeof color !== 'string' || !COLORS.includes(color)) fail(`color must be auto, always or never, got ${show(color)}`);

  const sync = given('sync') ? flag('sync', options.sync) : true;
  const minLength = given('minLength') ? size('minLength', options.minLength, true) : DEFAULT_MIN_LENGTH;
  const maxLength = given('maxLength') ? size('maxLength', options.maxLength, true) : Math.max(DEFAULT_MAX_LENGTH, minLength);
  if (maxLength < 1) fail('maxLength must be at least 1');
  if (maxLength < minLength) fail(`maxLength (${maxLength}) must not be below minLength (${minLength})`);
  const epochOffsetUs = given('epochOffsetUs') ? size('epochOffsetUs', options.epochOffsetUs, false) : undefined;

  return {
    fd: fd ?? (given('stream') || given('file') ? undefined : 2),
    stream: given('stream') ? (options.stream as StderrSinkStream) : undefined,
    file: given('file') ? (options.file as string) : undefined,
    timestamp,
    color: color as ColorMode,
    sync,
    minLength,
    maxLength,
    epochOffsetUs,
  };
}
