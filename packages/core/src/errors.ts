// The one error type of Unitrace: a stable code, a one-line message, and where the fault is.

/** Stable error codes. Tools and tests match on these, never on message text. */
export type TraceErrorCode =
  | 'E_PARSE' // a catalog line does not follow the trace-events grammar
  | 'E_TYPE' // an argument type is not on QEMU's whitelist
  | 'E_FORMAT' // a printf format cannot be tokenised or does not match the arguments
  | 'E_INCLUDE' // an include is missing, cyclic or malformed
  | 'E_DUPLICATE' // an event name or source name is declared twice
  | 'E_ID_RANGE' // an id range overlaps, leaves the guest window or hits a reserved id
  | 'E_ID_EXHAUSTED' // a source has more events than its range can hold
  | 'E_UNKNOWN_EVENT' // a name or pattern matched no event where one was required
  | 'E_EVENT_UNAVAILABLE' // an event with the `disable` property was asked to be enabled
  | 'E_CATALOG_MISMATCH' // generated code or a guest was built from another catalog
  | 'E_SINK_LOAD' // a backend module is missing, malformed or of another API version
  | 'E_SINK_OPTIONS' // a backend was given options it does not understand
  | 'E_TRACE_FILE' // a trace file is malformed, truncated or of an unknown version
  | 'E_IO' // a file could not be read or written
  | 'E_USAGE' // a command line is malformed
  | 'E_GUEST' // a guest broke the channel protocol (used in counters and statuses, never thrown at a guest)
  | 'E_MONITOR' // a monitor command failed
  | 'E_STATE'; // an operation was called in the wrong lifecycle state (write after close)

/** Where in a file a fault lies. Lines and columns count from 1; byte offsets from 0. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
}

/** Options accepted by the TraceError constructor. */
export interface TraceErrorOptions {
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

/**
 * The error thrown by every Unitrace package for a user-facing failure.
 * Its message is one line; `toString()` prefixes the location GCC-style. Never carries guest-controlled control
 * characters unescaped.
 */
export class TraceError extends Error {
  /** Stable code; match on this. */
  readonly code: TraceErrorCode;
  /** File, line, column or byte offset of the fault, when it has one. */
  readonly location: SourceLocation | undefined;

  constructor(code: TraceErrorCode, message: string, options: TraceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TraceError';
    this.code = code;
    this.location = options.location;
  }

  /** The one-line form a command prints: `file:line:col: message` or `file: byte N: message`. */
  override toString(): string {
    return formatLocation(this.location) + this.message;
  }
}

/** Renders a location as the prefix of a diagnostic (`file:3:7: `, `trace.bin: byte 245: `), or '' without one. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  if (location.line !== undefined) {
    return `${location.file}:${location.line}${location.column !== undefined ? `:${location.column}` : ''}: `;
  }
  if (location.offset !== undefined) return `${location.file}: byte ${location.offset}: `;
  return `${location.file}: `;
}

/** True when `err` is a TraceError, optionally of the given code. Use instead of `instanceof` across package copies. */
export function isTraceError(err: unknown, code?: TraceErrorCode): err is TraceError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'TraceError' &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (code === undefined || (err as { code: unknown }).code === code)
  );
}
