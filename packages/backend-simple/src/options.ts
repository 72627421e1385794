// Validation of the simple backend's options, typed (from code) or strings (from `--backend simple:...`).
import { MAX_RECORD_BYTES, TraceError } from '@unitrace/core';
import { DROPPED_RECORD_BYTES } from './wire.js';

/** Options of the simple backend. Every one is optional. */
export interface SimpleSinkOptions {
  /** Trace file path (default `trace-<pid>` in the current directory, as QEMU names it). */
  readonly file?: string;
  /** Bytes buffered before they are written out in one chunk (default 64 KiB, QEMU's flush threshold). 0 writes every batch. */
  readonly minLength?: number;
  /** Bound of buffered bytes (default 16 MiB); above it whole records are dropped and counted. */
  readonly maxLength?: number;
  /** Write on the calling thread with fs.writeSync instead of a writer thread (default false). */
  readonly sync?: boolean;
  /** Also write out whatever is buffered every this many milliseconds (default: off; the timer is unref'd). */
  readonly periodicFlushMs?: number;
  /** Open the trace file at once (default true); when false, `setTraceFileEnabled(true)` opens it later. */
  readonly enabled?: boolean;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  readonly file: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly sync: boolean;
  readonly periodicFlushMs: number;
  readonly enabled: boolean;
}

/** QEMU writes out once a quarter of its 256 KiB ring is pending. */
export const DEFAULT_MIN_LENGTH: number = 64 * 1024;
/**
 * Default bound of buffered bytes: 16 MiB lets a writer thread that the scheduler keeps off a busy 2-core machine
 * for 20 ms fall behind a producer writing 64-byte records at 12 M/s without a drop (4 MiB dropped in 1 of 10 bench
 * rounds, BENCHMARKS.md). Memory is only touched as far as the writer lags.
 */
export const DEFAULT_MAX_LENGTH: number = 16 * 1024 * 1024;
/** The smallest bound that always has room for the largest record and the dropped record that may precede it. */
export const MIN_MAX_LENGTH: number = MAX_RECORD_BYTES + DROPPED_RECORD_BYTES;
/** The largest bound (ring positions are Int32). */
export const MAX_MAX_LENGTH: number = 1024 * 1024 * 1024;

const KNOWN = ['file', 'minLength', 'maxLength', 'sync', 'periodicFlushMs', 'enabled'];

function fail(message: string): never {
  throw new TraceError('E_SINK_OPTIONS', `backend simple: ${message}`);
}

function integer(key: string, value: unknown, min: number, max: number): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^[0-9]+$/.test(value)) n = Number(value);
  else fail(`${key} must be a whole number of ${key.endsWith('Ms') ? 'milliseconds' : 'bytes'}, got ${JSON.stringify(value)}`);
  if (!Number.isSafeInteger(n) || n < min || n > max) fail(`${key} must be between ${min} and ${max}, got ${value}`);
  return n;
}

function boolean(key: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  return fail(`${key} must be on, off, true or false, got ${JSON.stringify(value)}`);
}

/**
 * Checks options and applies defaults. Throws TraceError('E_SINK_OPTIONS') for an unknown key or a bad value;
 * must be called before anything is opened.
 */
export function resolveOptions(options: Readonly<Record<string, unknown>>, pid: number): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) fail(`unknown option ${key} (known: ${KNOWN.join(', ')})`);
  }
  const get = (key: string): unknown => options[key];
  let file = `trace-${pid}`;
  if (get('file') !== undefined) {
    const f = get('file');
    if (typeof f !== 'string' || f === '') fail(`file must be a non-empty path, got ${JSON.stringify(f)}`);
    file = f;
  }
  const maxLength = get('maxLength') === undefined ? DEFAULT_MAX_LENGTH : integer('maxLength', get('maxLength'), MIN_MAX_LENGTH, MAX_MAX_LENGTH);
  const minLength =
    get('minLength') === undefined ? Math.min(DEFAULT_MIN_LENGTH, maxLength) : integer('minLength', get('minLength'), 0, maxLength);
  const periodicFlushMs = get('periodicFlushMs') === undefined ? 0 : integer('periodicFlushMs', get('periodicFlushMs'), 0, 2 ** 31 - 1);
  const sync = get('sync') === undefined ? false : boolean('sync', get('sync'));
  const enabled = get('enabled') === undefined ? true : boolean('enabled', get('enabled'));
  return { file, minLength, maxLength, sync, periodicFlushMs, enabled };
}
