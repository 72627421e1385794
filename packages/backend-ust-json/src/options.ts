// The options of the ust-json sink: typed values from code or strings from the command line, checked up front.
import { TraceError } from '@unitrace/core';

/** Options of `createUstJsonSink`. Every field may also be given as a string (the command-line form). */
export interface UstJsonSinkOptions {
  /** A path, `stdout` or `stderr`. Default `trace-<pid>.json` (or `.msgpack`) in the working directory. */
  readonly file?: string;
  /** `json` (JSON lines) or `msgpack`. Default: `msgpack` when `file` ends in `.msgpack`, else `json`. */
  readonly encoding?: 'json' | 'msgpack';
  /** The `procname` of every record. Default `unitrace`. */
  readonly procname?: string;
  /** Write with blocking writes as soon as a chunk is ready. Default false for files, true for stdout/stderr. */
  readonly sync?: boolean | string;
  /** Bytes gathered before a chunk is written (`65536`, `'64k'`). Default 64 KiB for files, 0 (every batch) for stdio. */
  readonly minLength?: number | string;
  /** Bytes buffered or in flight beyond which records are dropped and counted (`'4m'`). Default 4 MiB. */
  readonly maxLength?: number | string;
}

/** The options after defaults, as the sink uses them. */
export interface ResolvedUstJsonOptions {
  readonly file: string;
  readonly encoding: 'json' | 'msgpack';
  readonly procname: string;
  readonly sync: boolean;
  readonly minLength: number;
  readonly maxLength: number;
}

/** Default `minLength` for files. */
export const DEFAULT_MIN_LENGTH: number = 64 * 1024;
/** Default `maxLength`. */
export const DEFAULT_MAX_LENGTH: number = 4 * 1024 * 1024;
const KNOWN = ['file', 'encoding', 'procname', 'sync', 'minLength', 'maxLength'];
const MAX_PROCNAME = 256;

function fail(message: string): never {
  throw new TraceError('E_SINK_OPTIONS', `backend ust-json: ${message}`);
}

function stringOption(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail(`${name} must be a string, got ${typeof v}`);
  return v;
}

function boolOption(name: string, v: unknown): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.toLowerCase();
    if (t === 'true' || t === 'on' || t === 'yes' || t === '1') return true;
    if (t === 'false' || t === 'off' || t === 'no' || t === '0') return false;
  }
  return fail(`${name} must be true or false, got ${JSON.stringify(v)}`);
}

/** A byte count: a non-negative integer, or a string of digits with an optional k/KiB or m/MiB suffix (×1024). */
function sizeOption(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^(\d+)\s*(k|kib|m|mib)?$/i.exec(v.trim());
    if (m) n = Number(m[1]) * (m[2] === undefined ? 1 : m[2].toLowerCase().startsWith('k') ? 1024 : 1024 * 1024);
  }
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    return fail(`${name} must be a byte count (e.g. 65536, 64k, 4m), got ${JSON.stringify(v)}`);
  }
  return n;
}

/**
 * Checks the options and fills in defaults. Throws TraceError('E_SINK_OPTIONS') for an unknown option, a value of
 * the wrong kind, or `minLength` above `maxLength`. Opens nothing.
 */
export function resolveUstJsonOptions(options: Readonly<Record<string, unknown>>, pid: number): ResolvedUstJsonOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) fail(`unknown option ${JSON.stringify(key)} (known: ${KNOWN.join(', ')})`);
  }
  const file = stringOption('file', options.file);
  if (file === '') fail('file must not be empty');
  const encodingText = stringOption('encoding', options.encoding);
  if (encodingText !== undefined && encodingText !== 'json' && encodingText !== 'msgpack') {
    fail(`encoding must be json or msgpack, got ${JSON.stringify(encodingText)}`);
  }
  const encoding = encodingText ?? (file !== undefined && /\.msgpack$/i.test(file) ? 'msgpack' : 'json');
  const procname = stringOption('procname', options.procname) ?? 'unitrace';
  if (procname === '' || procname.length > MAX_PROCNAME) fail(`procname must be 1 to ${MAX_PROCNAME} characters`);
  const stdio = file === 'stdout' || file === 'stderr';
  const sync = boolOption('sync', options.sync) ?? stdio;
  const maxLength = sizeOption('maxLength', options.maxLength) ?? DEFAULT_MAX_LENGTH;
  if (maxLength === 0) fail('maxLength must be at least 1');
  const givenMin = sizeOption('minLength', options.minLength);
  if (givenMin !== undefined && givenMin > maxLength) fail(`minLength (${givenMin}) must not exceed maxLength (${maxLength})`);
  const minLength = givenMin ?? (stdio ? 0 : Math.min(DEFAULT_MIN_LENGTH, maxLength));
  return {
    file: file ?? `trace-${pid}.${encoding === 'msgpack' ? 'msgpack' : 'json'}`,
    encoding,
    procname,
    sync,
    minLength,
    maxLength,
  };
}
