// The raw format of a trace-events line (quoted literals, PRI macros, spaces) → one printf template (spec §2.3).
import { escapeText, quoteText } from './quote-text.js';

/** A format that tokenised: the single printf template, C escapes resolved (each char one byte). */
export interface ExpandedFormat {
  readonly ok: true;
  readonly template: string;
}

/** A format that did not tokenise: why, and the 1-based column inside the raw format. */
export interface FormatSyntaxError {
  readonly ok: false;
  readonly message: string;
  readonly column: number;
}

/** The outcome of `expandFormat`. */
export type ExpandFormatResult = ExpandedFormat | FormatSyntaxError;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * How PRI macros become length modifiers. `glibc-lp64` is what QEMU's C build prints with (glibc's <inttypes.h> on
 * x86-64/aarch64: PRIx8 and PRIx16 are plain `x`, PRIx64, PRIxPTR and PRIxMAX are `lx`); it differs from
 * `tracetool` (the Rust bindings' tokenizer: `hhx`, `hx`, `llx`, `tx`, `jx`) only when an argument's type does not
 * match its macro, e.g. a uint8_t 255 under PRId8 prints 255 in C and -1 with `%hhd`.
 */
export type PriStyle = 'glibc-lp64' | 'tracetool';

// PRI size suffix → printf length modifier, per style (spec §2.3 and its caveat).
const PRI_SIZES: Readonly<Record<PriStyle, readonly (readonly [string, string])[]>> = {
  'glibc-lp64': [
    ['8', ''],
    ['16', ''],
    ['32', ''],
    ['64', 'l'],
    ['PTR', 'l'],
    ['MAX', 'l'],
  ],
  tracetool: [
    ['8', 'hh'],
    ['16', 'h'],
    ['32', ''],
    ['64', 'll'],
    ['PTR', 't'],
    ['MAX', 'j'],
  ],
};

const HEX = /^[0-9a-fA-F]$/;
const SPACE = /^[ \t\n\r\f\v]$/;

/**
 * Expands a raw format (`"0x%" PRIx64 " len %u"`) into one printf template (`0x%lx len %u` in the default
 * glibc-lp64 style, `0x%llx len %u` in tracetool's), with the C escapes turned into their bytes. '' gives ''. Must not accept anything the tokenizer
 * would refuse: other macros, stray text, unknown or octal escapes, an unterminated literal.
 */
export function expandFormat(raw: string, style: PriStyle = 'glibc-lp64'): ExpandFormatResult {
  let template = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (SPACE.test(c)) {
      i++;
    } else if (c === '"') {
      const literal = readLiteral(raw, i);
      if (!literal.ok) return literal;
      template += literal.text;
      i = literal.end;
    } else if (raw.startsWith('PRI', i)) {
      const macro = readPriMacro(raw, i, style);
      if (macro === undefined) return syntaxError(`unknown macro ${quoteText(identifierAt(raw, i))}: only PRI[diuxX](8|16|32|64|PTR|MAX) may appear between literals`, i);
      template += macro.text;
      i = macro.end;
    } else {
      return syntaxError(`unexpected ${quoteText(c)} between string literals (only literals, PRI macros and spaces may appear)`, i);
    }
  }
  return { ok: true, template };
}

type LiteralResult = { readonly ok: true; readonly text: string; readonly end: number } | FormatSyntaxError;

function readLiteral(raw: string, start: number): LiteralResult {
  let text = '';
  let i = start + 1;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"') return { ok: true, text, end: i + 1 };
    if (c !== '\\') {
      text += c;
      i++;
      continue;
    }
    const e = raw[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      text += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'x') {
      const h1 = raw[i + 2] ?? '';
      const h2 = raw[i + 3] ?? '';
      if (!HEX.test(h1) || !HEX.test(h2)) return syntaxError('\\x escape needs exactly two hex digits', i);
      // C reads every following hex digit into the same escape; the tokenizer stops at two. Refuse the ambiguity.
      if (HEX.test(raw[i + 4] ?? '')) return syntaxError('\\x escape followed by a third hex digit (C would read a longer escape)', i);
      text += String.fromCharCode(parseInt(h1 + h2, 16));
      i += 4;
    } else {
      return syntaxError(`unsupported escape '\\${escapeText(e ?? '')}' (allowed: \\\\ \\" \\a \\b \\f \\n \\r \\t \\xHH)`, i);
    }
  }
  return syntaxError('unterminated string literal', start);
}

function readPriMacro(raw: string, start: number, style: PriStyle): { readonly text: string; readonly end: number } | undefined {
  const letter = raw[start + 3] ?? '';
  if (!'diuxX'.includes(letter) || letter === '') return undefined;
  for (const [suffix, modifier] of PRI_SIZES[style]) {
    if (raw.startsWith(suffix, start + 4)) {
      const end = start + 4 + suffix.length;
      // PRIx64abc is another identifier to the C preprocessor, not PRIx64 followed by text.
      if (/^[A-Za-z0-9_]$/.test(raw[end] ?? '')) return undefined;
      return { text: modifier + letter, end };
    }
  }
  return undefined;
}

function identifierAt(raw: string, start: number): string {
  return /^[A-Za-z0-9_]*/.exec(raw.slice(start))![0];
}

function syntaxError(message: string, index: number): FormatSyntaxError {
  return { ok: false, message, column: index + 1 };
}
