// Tokenises a printf template (PRI macros already expanded) into literal runs and integer/char/string/pointer specs.
import { TraceError, type SourceLocation } from '../errors.js';

/** Length modifiers accepted before an integer conversion; `L` and `q` are glibc's aliases of `ll`. */
export type LengthModifier = '' | 'hh' | 'h' | 'l' | 'll' | 'z' | 't' | 'j' | 'L' | 'q';

/** Conversions the engine renders. Floating point, `%n`, `%m` and wide characters are rejected. */
export type ConversionChar = 'd' | 'i' | 'u' | 'o' | 'x' | 'X' | 'c' | 's' | 'p';

/**
 * Largest field width or precision accepted, in the template and (clamped) from a `*` argument. glibc has no such
 * limit; this one keeps a hostile `*` argument from producing gigabytes of padding.
 */
export const MAX_FIELD_WIDTH = 4096;

/** One conversion specification, e.g. `%08llx` or `%-*s`. */
export interface ConversionSpec {
  readonly kind: 'conversion';
  /** The spec exactly as written, from `%` to the conversion letter. */
  readonly text: string;
  /** 1-based column of the `%` in the template. */
  readonly column: number;
  readonly minus: boolean;
  readonly zero: boolean;
  readonly hash: boolean;
  readonly space: boolean;
  readonly plus: boolean;
  /** Field width: a number, `'*'` (taken from an int argument), or undefined. */
  readonly width: number | '*' | undefined;
  /** Precision: a number (`.` alone is 0), `'*'` (from an int argument), or undefined. */
  readonly precision: number | '*' | undefined;
  readonly length: LengthModifier;
  readonly conversion: ConversionChar;
}

/** A run of literal template text (`%%` already turned into `%`). */
export interface LiteralPiece {
  readonly kind: 'literal';
  readonly text: string;
  /** 1-based column where the run starts in the template. */
  readonly column: number;
}

/** One piece of a template, in order. */
export type FormatPiece = LiteralPiece | ConversionSpec;

/** A tokenised template. Plain data; it knows nothing of the event's arguments. */
export interface FormatSpec {
  readonly template: string;
  readonly pieces: readonly FormatPiece[];
  /** The conversion pieces only, in order. */
  readonly conversions: readonly ConversionSpec[];
  /** Arguments the template consumes: one per conversion plus one per `*`. */
  readonly argCount: number;
}

/** What `scanFormat` found: the pieces before the first fault, and that fault if any. */
export interface FormatScan {
  readonly pieces: readonly FormatPiece[];
  /** The first fault: its 1-based column and a one-line message; undefined when the whole template is valid. */
  readonly error: { readonly column: number; readonly message: string } | undefined;
}

const FLOAT_CONVERSIONS = 'eEfFgGaA';

/**
 * Tokenises `template` up to its first fault without throwing. For callers that must render something for a bad
 * format (sinks); everything else should call `parseFormat`.
 */
export function scanFormat(template: string): FormatScan {
  const pieces: FormatPiece[] = [];
  let lit = '';
  let litColumn = 1;
  const flushLiteral = (): void => {
    if (lit !== '') pieces.push({ kind: 'literal', text: lit, column: litColumn });
    lit = '';
  };
  const n = template.length;
  let i = 0;
  while (i < n) {
    const ch = template[i];
    if (ch !== '%') {
      if (lit === '') litColumn = i + 1;
      lit += ch;
      i++;
      continue;
    }
    const start = i;
    const fail = (message: string): FormatScan => {
      flushLiteral();
      return { pieces, error: { column: start + 1, message } };
    };
    if (template[i + 1] === '%') {
      if (lit === '') litColumn = i + 1;
      lit += '%';
      i += 2;
      continue;
    }
    i++;
    let minus = false;
    let zero = false;
    let hash = false;
    let space = false;
    let plus = false;
    for (;;) {
      const f = template[i];
      if (f === '-') minus = true;
      else if (f === '0') zero = true;
      else if (f === '#') hash = true;
      else if (f === ' ') space = true;
      else if (f === '+') plus = true;
      else break;
      i++;
    }
    let width: number | '*' | undefined;
    if (template[i] === '*') {
      width = '*';
      i++;
    } else if (isDigit(template, i)) {
      let w = 0;
      while (isDigit(template, i)) w = w * 10 + template.charCodeAt(i++) - 48;
      if (template[i] === '$') return fail(`positional argument '${template.slice(start, i + 1)}' is not supported`);
      if (w > MAX_FIELD_WIDTH) return fail(`field width ${w} exceeds ${MAX_FIELD_WIDTH}`);
      width = w;
    }
    let precision: number | '*' | undefined;
    if (template[i] === '.') {
      i++;
      if (template[i] === '*') {
        precision = '*';
        i++;
      } else {
        let p = 0;
        while (isDigit(template, i)) p = p * 10 + template.charCodeAt(i++) - 48;
        if (p > MAX_FIELD_WIDTH) return fail(`precision ${p} exceeds ${MAX_FIELD_WIDTH}`);
        precision = p;
      }
    }
    let length: LengthModifier = '';
    const l0 = template[i];
    if (l0 === 'h' || l0 === 'l') {
      if (template[i + 1] === l0) {
        length = l0 === 'h' ? 'hh' : 'll';
        i += 2;
      } else {
        length = l0;
        i++;
      }
    } else if (l0 === 'z' || l0 === 't' || l0 === 'j' || l0 === 'L' || l0 === 'q') {
      length = l0;
      i++;
    }
    if (i >= n) return fail(`incomplete conversion '${template.slice(start)}' at end of format`);
    const conv = template[i];
    const text = template.slice(start, i + 1);
    if (conv === 'n') return fail(`conversion '${text}' is not allowed`);
    if (FLOAT_CONVERSIONS.includes(conv)) return fail(`floating-point conversion '${text}' is not supported`);
    if (conv === '%') return fail(`'${text}': '%%' takes no flags, width, precision or length`);
    if (!'diuoxXcsp'.includes(conv)) return fail(`unknown conversion '${text}'`);
    if (length !== '' && (conv === 'c' || conv === 's' || conv === 'p')) {
      return fail(`length modifier in '${text}' is not supported on %${conv}`);
    }
    i++;
    flushLiteral();
    pieces.push({
      kind: 'conversion',
      text,
      column: start + 1,
      minus,
      zero,
      hash,
      space,
      plus,
      width,
      precision,
      length,
      conversion: conv as ConversionChar,
    });
  }
  flushLiteral();
  return { pieces, error: undefined };
}

/**
 * Tokenises a printf template into literal runs and conversion specs. Throws a TraceError `E_FORMAT` naming the
 * column for `%n`, floating point, positional or unknown conversions; `location`, when given, is the event's.
 * Must not be given the raw catalog text: expand PRI macros and C escapes first.
 */
export function parseFormat(template: string, location?: SourceLocation): FormatSpec {
  const scan = scanFormat(template);
  if (scan.error) {
    throw new TraceError('E_FORMAT', `format column ${scan.error.column}: ${scan.error.message}`, { location });
  }
  const conversions = scan.pieces.filter((p): p is ConversionSpec => p.kind === 'conversion');
  let argCount = 0;
  for (const c of conversions) argCount += 1 + (c.width === '*' ? 1 : 0) + (c.precision === '*' ? 1 : 0);
  return { template, pieces: scan.pieces, conversions, argCount };
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}
