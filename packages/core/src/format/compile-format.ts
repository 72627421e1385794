// Binds a template's conversions to an event's declared arguments, once, into ops the renderer walks per event.
import type { Diagnostic, EventDecl } from '../events/decl.js';
import {
  FORMAT_MARKERS,
  FormatOp,
  OP_CHAR,
  OP_INT,
  OP_LITERAL,
  OP_POINTER,
  OP_STRING,
  templateBytes,
} from './format-op.js';
import { scanFormat, type ConversionSpec } from './parse-format.js';

/** Argument kinds as the renderer decodes them. */
export const ARG_INT = 0;
export const ARG_POINTER = 1;
export const ARG_STRING = 2;

/**
 * A template bound to one event's declared arguments: build it once per event (`compileFormat`), render it many
 * times (`renderPayload`, `renderValues`). It owns scratch space for one rendering, so it must not be rendered
 * re-entrantly; the fields marked internal are for the renderer only.
 */
export class CompiledFormat {
  /** The event the template was bound to. */
  readonly decl: EventDecl;
  /** The printf template (PRI macros and escapes already expanded). */
  readonly template: string;
  /** Mismatches found while binding: W_ARG_COUNT warnings, E_FORMAT errors. Rendering works regardless. */
  readonly diagnostics: readonly Diagnostic[];
  /** @internal The ops, in output order. */
  readonly ops: readonly FormatOp[];
  /** @internal Per declared argument: ARG_INT, ARG_POINTER or ARG_STRING. */
  readonly argKind: Uint8Array;
  /** @internal Per declared argument: width in bits of its C type (pointers 64). */
  readonly argBits: Uint8Array;
  /** @internal Per declared argument: 1 when its C type is signed. */
  readonly argSigned: Uint8Array;
  /** @internal Per declared argument: 1 for `bool`. */
  readonly argBool: Uint8Array;
  /** @internal Scratch: low 32 bits of each argument after conversion to its type and promotion. */
  readonly lo: Uint32Array;
  /** @internal Scratch: high 32 bits (0 for types promoted to int, as gcc's x86-64 code leaves them). */
  readonly hi: Uint32Array;
  /** @internal Scratch: 0 present, else the index in STATE_MARKERS of the marker to print. */
  readonly state: Uint8Array;
  /** @internal Scratch: where each string argument's bytes are (null for a NULL string). */
  readonly strSrc: (Uint8Array | null)[];
  /** @internal Scratch: start and length of each string argument in `strSrc`. */
  readonly strStart: Int32Array;
  readonly strLen: Int32Array;

  constructor(decl: EventDecl, template: string, ops: FormatOp[], diagnostics: Diagnostic[]) {
    this.decl = decl;
    this.template = template;
    this.ops = ops;
    this.diagnostics = diagnostics;
    const n = decl.args.length;
    this.argKind = new Uint8Array(n);
    this.argBits = new Uint8Array(n);
    this.argSigned = new Uint8Array(n);
    this.argBool = new Uint8Array(n);
    decl.args.forEach((a, i) => {
      this.argKind[i] = a.type.kind === 'string' ? ARG_STRING : a.type.kind === 'pointer' ? ARG_POINTER : ARG_INT;
      this.argBits[i] = a.type.kind === 'int' ? a.type.bits : 64;
      this.argSigned[i] = a.type.kind === 'int' && a.type.signed ? 1 : 0;
      this.argBool[i] = a.type.kind === 'int' && a.type.isBool ? 1 : 0;
    });
    this.lo = new Uint32Array(n);
    this.hi = new Uint32Array(n);
    this.state = new Uint8Array(n);
    this.strSrc = new Array<Uint8Array | null>(n).fill(null);
    this.strStart = new Int32Array(n);
    this.strLen = new Int32Array(n);
  }

  /** True when binding found no error (warnings allowed). */
  get ok(): boolean {
    return this.diagnostics.every((d) => d.severity !== 'error');
  }
}

/** Scratch `state` values and the marker each one prints. */
export const STATE_OK = 0;
export const STATE_TRUNCATED = 1;
export const STATE_MISSING = 2;
export const STATE_BAD_VALUE = 3;
/** @internal Marker bytes by state. */
export const STATE_MARKERS: readonly Uint8Array[] = [
  new Uint8Array(0),
  templateBytes(FORMAT_MARKERS.truncated),
  templateBytes(FORMAT_MARKERS.missing),
  templateBytes(FORMAT_MARKERS.badValue),
];

/**
 * Binds each argument-consuming spec of `template` (and each `*`, which takes an int) to `decl.args` in order.
 * Never throws: a template that does not parse, too few or too many arguments, `%s` of a non-string and a string
 * under a numeric conversion become diagnostics, and the affected conversions render as FORMAT_MARKERS text; a
 * template that stops parsing renders its valid prefix and then the rest of its text verbatim.
 */
export function compileFormat(decl: EventDecl, template: string): CompiledFormat {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: 'error' | 'warning', code: 'E_FORMAT' | 'W_ARG_COUNT', message: string): void => {
    diagnostics.push({ severity, code, message, location: decl.location });
  };
  const scan = scanFormat(template);
  const ops: FormatOp[] = [];
  const args = decl.args;
  let next = 0;
  for (const piece of scan.pieces) {
    if (piece.kind === 'literal') {
      ops.push(literalOp(piece.text));
      continue;
    }
    const op = new FormatOp();
    if (piece.width === '*') op.widthArg = next++;
    else if (piece.width !== undefined) op.width = piece.width;
    if (piece.precision === '*') op.precArg = next++;
    else if (piece.precision !== undefined) op.precision = piece.precision;
    op.arg = next++;
    const where = `'${piece.text}' at format column ${piece.column}`;
    if (op.arg >= args.length) {
      ops.push(markerOp(FORMAT_MARKERS.missing));
      continue;
    }
    const starString = [op.widthArg, op.precArg].find((k) => k >= 0 && args[k].type.kind === 'string');
    if (starString !== undefined) {
      report('error', 'E_FORMAT', `'*' of ${where} takes an int but argument '${args[starString].name}' is a string`);
      ops.push(markerOp(FORMAT_MARKERS.string));
      continue;
    }
    const type = args[op.arg].type;
    if (piece.conversion === 's' && type.kind !== 'string') {
      report('error', 'E_FORMAT', `${where} takes a string but argument '${args[op.arg].name}' is '${type.text}'`);
      ops.push(markerOp(FORMAT_MARKERS.nonString));
      continue;
    }
    if (piece.conversion !== 's' && type.kind === 'string') {
      report('error', 'E_FORMAT', `${where} does not take a string, but argument '${args[op.arg].name}' is '${type.text}'`);
      ops.push(markerOp(FORMAT_MARKERS.string));
      continue;
    }
    setConversion(op, piece);
    ops.push(op);
  }
  if (scan.error) {
    report('error', 'E_FORMAT', `format column ${scan.error.column}: ${scan.error.message}`);
    ops.push(literalOp(template.slice(scan.error.column - 1)));
  } else if (next !== args.length) {
    report(
      'warning',
      'W_ARG_COUNT',
      `format consumes ${next} argument${next === 1 ? '' : 's'} but '${decl.name}' declares ${args.length}`,
    );
  }
  return new CompiledFormat(decl, template, mergeLiterals(ops), diagnostics);
}

function setConversion(op: FormatOp, spec: ConversionSpec): void {
  op.minus = spec.minus;
  op.zero = spec.zero;
  op.plus = spec.plus;
  op.space = spec.space;
  op.hash = spec.hash;
  switch (spec.conversion) {
    case 'c':
      op.kind = OP_CHAR;
      return;
    case 's':
      op.kind = OP_STRING;
      return;
    case 'p':
      op.kind = OP_POINTER;
      op.base = 16;
      op.readBits = 64;
      return;
    default:
      op.kind = OP_INT;
      op.signedRead = spec.conversion === 'd' || spec.conversion === 'i';
      op.base = spec.conversion === 'o' ? 8 : spec.conversion === 'x' || spec.conversion === 'X' ? 16 : 10;
      op.upper = spec.conversion === 'X';
      op.readBits = spec.length === 'hh' ? 8 : spec.length === 'h' ? 16 : spec.length === '' ? 32 : 64;
  }
}

function literalOp(text: string): FormatOp {
  const op = new FormatOp();
  op.kind = OP_LITERAL;
  op.bytes = templateBytes(text);
  return op;
}

/** Marker text is fixed at compile time, so it is just a literal. */
function markerOp(text: string): FormatOp {
  return literalOp(text);
}

/** Joins adjacent literal ops, so the renderer does one copy per run of fixed text. */
function mergeLiterals(ops: FormatOp[]): FormatOp[] {
  const out: FormatOp[] = [];
  for (const op of ops) {
    const prev = out[out.length - 1];
    if (op.kind === OP_LITERAL && prev !== undefined && prev.kind === OP_LITERAL) {
      const joined = new Uint8Array(prev.bytes.length + op.bytes.length);
      joined.set(prev.bytes);
      joined.set(op.bytes, prev.bytes.length);
      prev.bytes = joined;
    } else out.push(op);
  }
  return out;
}
