// Plain-data shapes of a parsed trace-events catalog: events, arguments and diagnostics.
import type { SourceLocation, TraceErrorCode } from '../errors.js';

/**
 * How an argument travels in a simpletrace record: `string` is a u32 length plus bytes (QEMU's rule: a `char *`
 * type with exactly one `*`); everything else is one 8-byte word.
 */
export type ArgKind = 'int' | 'pointer' | 'string';

/** The C type of an argument, resolved for an LP64 glibc host (x86-64 or aarch64 Linux), where char is signed on x86. */
export interface ArgType {
  /** The type exactly as the catalog spells it, e.g. `const char *`, `char*`, `long unsigned int`. */
  readonly text: string;
  /** The type with spacing normalised (`const char *`, `char **`, `unsigned long`); used by the catalog hash. */
  readonly normalized: string;
  readonly kind: ArgKind;
  /** Width in bits of the value after conversion to this type (pointers and strings: 64). */
  readonly bits: 8 | 16 | 32 | 64;
  /** Signedness after conversion (plain `char` is signed, as on x86-64). */
  readonly signed: boolean;
  /** `bool`: any non-zero value converts to 1. */
  readonly isBool: boolean;
}

/** One argument of an event declaration. */
export interface ArgDecl {
  readonly name: string;
  readonly type: ArgType;
}

/** One event as declared in a trace-events file. Immutable plain data. */
export interface EventDecl {
  /** Event name, case-sensitive, `[A-Za-z0-9_]+`. */
  readonly name: string;
  /** Arguments in declaration order; `(void)` gives an empty list. */
  readonly args: readonly ArgDecl[];
  /** The format text exactly as written after the argument list: quotes, PRI macros and all; '' when absent. */
  readonly format: string;
  /** Property words before the name; only `disable` is valid. */
  readonly properties: readonly string[];
  /** True when the event has the `disable` property: it has an id but can never be enabled. */
  readonly disabled: boolean;
  /** Where the declaration is: file, 1-based line, 1-based column of the event name. */
  readonly location: SourceLocation;
}

/** Severity of a catalog diagnostic. Errors make a catalog unusable; warnings do not. */
export type DiagnosticSeverity = 'error' | 'warning';

/** One problem found in a catalog, with its position and a stable code. */
export interface Diagnostic {
  readonly severity: DiagnosticSeverity;
  readonly code: TraceErrorCode | DiagnosticWarningCode;
  /** One line, no trailing period, no location prefix. */
  readonly message: string;
  readonly location: SourceLocation;
  /** For errors reached through includes: the chain of `include` lines that led here, outermost first. */
  readonly includeChain?: readonly SourceLocation[];
}

/** Codes of warnings (never fatal). */
export type DiagnosticWarningCode =
  | 'W_IGNORED_TEXT' // text after `)` that QEMU's parser silently drops
  | 'W_FORMAT_TRAILING' // text after the format's last literal that QEMU keeps verbatim
  | 'W_ARG_COUNT' // the format consumes a different number of arguments than declared
  | 'W_EVENTS_FILE'; // a line of an events file that matched nothing or named an untraceable event

/** The result of parsing one trace-events file: every event that parsed, and every diagnostic. */
export interface ParseResult {
  readonly events: readonly EventDecl[];
  readonly diagnostics: readonly Diagnostic[];
  /** `include` directives, in file order (the Unitrace extension); resolved by the catalog loader. */
  readonly includes: readonly IncludeDirective[];
}

/** An `include "PATH" [as NAME [base 0xHEX]]` line. Without `as`, the included file joins the including source. */
export interface IncludeDirective {
  readonly path: string;
  /** Guest source name given with `as`; undefined for a plain (same-source) include. */
  readonly sourceName?: string;
  /** Pinned first id of the guest range, when the line gives `base`. */
  readonly base?: bigint;
  readonly location: SourceLocation;
  /** Position of this include among the file's lines, relative to events: events declared before it. */
  readonly eventsBefore: number;
}
