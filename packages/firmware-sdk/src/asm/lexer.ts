// The UT32 assembler's lexer: one source line into tokens, each with its 1-based column, comments dropped.
import { TraceError } from '@unitrace/core';

/** A token: a name (mnemonic, register, symbol, directive, `.`), a number, a string, or punctuation. */
export type Token =
  | { readonly kind: 'name'; readonly text: string; readonly col: number }
  | { readonly kind: 'number'; readonly text: string; readonly value: bigint; readonly col: number }
  | { readonly kind: 'string'; readonly text: string; readonly bytes: readonly number[]; readonly col: number }
  | { readonly kind: 'punct'; readonly text: string; readonly col: number };

/** Where the line being read is, for error messages (`file:line:col`). */
export interface LinePlace {
  readonly file: string;
  readonly line: number;
}

/** A TraceError E_PARSE at `file:line:col`: how every assembler error is reported. */
export function asmError(place: LinePlace, col: number, message: string): TraceError {
  return new TraceError('E_PARSE', message, { location: { file: place.file, line: place.line, column: col } });
}

const NAME_START = /[A-Za-z_.]/;
const NAME_PART = /[A-Za-z0-9_.]/;
const TWO_CHAR = ['<<', '>>'];
const ONE_CHAR = ',[]()+-*/%&|^~:=';

/** Splits one line. `;` and `#` start a comment outside strings. Throws asmError for a character or literal it cannot read. */
export function lexLine(text: string, place: LinePlace): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const col = i + 1;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
    } else if (ch === ';' || ch === '#') {
      break;
    } else if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j]!)) j++;
      tokens.push({ kind: 'name', text: text.slice(i, j), col });
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < text.length && /[0-9A-Za-z_]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      tokens.push({ kind: 'number', text: word, value: parseNumber(word, place, col), col });
      i = j;
    } else if (ch === '"' || ch === "'") {
      const { bytes, end } = readQuoted(text, i, place);
      const raw = text.slice(i, end);
      if (ch === '"') tokens.push({ kind: 'string', text: raw, bytes, col });
      else {
        if (bytes.length !== 1) throw asmError(place, col, `a character literal holds exactly one character: ${raw}`);
        tokens.push({ kind: 'number', text: raw, value: BigInt(bytes[0]!), col });
      }
      i = end;
    } else if (TWO_CHAR.includes(text.slice(i, i + 2))) {
      tokens.push({ kind: 'punct', text: text.slice(i, i + 2), col });
      i += 2;
    } else if (ONE_CHAR.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, col });
      i++;
    } else {
      throw asmError(place, col, `unexpected character '${printable(ch)}'`);
    }
  }
  return tokens;
}

function parseNumber(word: string, place: LinePlace, col: number): bigint {
  // Underscores group digits (0x8000_0000); they may not end the number or come in pairs.
  const digits = word.replace(/_/g, '');
  const forms = [/^0[xX][0-9a-fA-F]+$/, /^0[bB][01]+$/, /^0[oO][0-7]+$/, /^[0-9]+$/];
  if (word.endsWith('_') || word.includes('__') || !forms.some((re) => re.test(digits))) {
    throw asmError(place, col, `'${word}' is not a number (decimal, 0x hex, 0b binary or 0o octal)`);
  }
  return BigInt(digits);
}

const ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, '"': 34, "'": 39, a: 7, b: 8, f: 12, v: 11 };

/** Reads a quoted literal starting at `start`; returns its bytes (latin1) and the index after the closing quote. */
function readQuoted(text: string, start: number, place: LinePlace): { bytes: number[]; end: number } {
  const quote = text[start]!;
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    const ch = text[i]!;
    if (ch !== '\\') {
      const code = ch.charCodeAt(0);
      if (code > 0xff) throw asmError(place, i + 1, `character '${ch}' is not a byte: write it as \\x escapes`);
      bytes.push(code);
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === 'x') {
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 2));
      if (!hex) throw asmError(place, i + 1, '\\x needs two hex digits');
      bytes.push(parseInt(hex[0], 16));
      i += 4;
    } else if (next !== undefined && next in ESCAPES) {
      bytes.push(ESCAPES[next]!);
      i += 2;
    } else {
      throw asmError(place, i + 1, `unknown escape '\\${next === undefined ? '' : printable(next)}'`);
    }
  }
  if (i >= text.length) throw asmError(place, start + 1, `unterminated ${quote === '"' ? 'string' : 'character literal'}`);
  return { bytes, end: i + 1 };
}

function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
}
