// The Unitrace `include "PATH" [as NAME [base 0xHEX]]` directive: recognising and reading one line.
import type { Diagnostic, IncludeDirective } from './decl.js';
import { quoteText } from './quote-text.js';

const INCLUDE_START = /^[ \t\n\r\f\v]*include(?=[ \t\n\r\f\v"]|$)/;
const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when a line is an include directive (event lines need `name(`, so `include(` stays an event). */
export function isIncludeLine(line: string): boolean {
  return INCLUDE_START.test(line);
}

/** Where the parser is: the file, the 1-based line number, and how many events the file declared so far. */
export interface IncludeLineContext {
  readonly file: string;
  readonly line: number;
  readonly eventsBefore: number;
}

/**
 * Reads one include line. Returns the directive, or the E_INCLUDE diagnostic of the first fault with its column.
 * Must not touch the file system: the catalog loader resolves and reads the path.
 */
export function parseIncludeLine(text: string, ctx: IncludeLineContext): IncludeDirective | Diagnostic {
  const lead = /^[ \t\n\r\f\v]*/.exec(text)![0].length;
  const location = { file: ctx.file, line: ctx.line, column: lead + 1 };
  const bad = (message: string, index: number): Diagnostic => ({
    severity: 'error',
    code: 'E_INCLUDE',
    message,
    location: { file: ctx.file, line: ctx.line, column: index + 1 },
  });

  let i = skipSpace(text, lead + 'include'.length);
  if (text[i] !== '"') return bad(`include needs a quoted path: include "PATH" [as NAME [base 0xHEX]]`, i);
  const close = text.indexOf('"', i + 1);
  if (close < 0) return bad('include path is not closed with \'"\'', i);
  const path = text.slice(i + 1, close);
  if (path === '') return bad('include path is empty', i);

  i = close + 1;
  const words: { readonly word: string; readonly index: number }[] = [];
  for (const m of text.slice(i).matchAll(/[^ \t\n\r\f\v]+/g)) words.push({ word: m[0], index: i + m.index });
  if (words.length > 0 && words[0]!.index === i) return bad(`expected a space after the include path, found ${quoteText(words[0]!.word)}`, i);
  if (words.length === 0) return { path, location, eventsBefore: ctx.eventsBefore };

  const [as, name, base, hex, extra] = words;
  if (as!.word === 'base') return bad(`'base' needs a guest source: include "PATH" as NAME base 0xHEX`, as!.index);
  if (as!.word !== 'as') return bad(`unexpected ${quoteText(as!.word)} after the include path (expected 'as NAME')`, as!.index);
  if (name === undefined) return bad(`'as' needs a source name`, as!.index);
  if (!SOURCE_NAME.test(name.word)) return bad(`source name ${quoteText(name.word)} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)`, name.index);
  if (base === undefined) return { path, sourceName: name.word, location, eventsBefore: ctx.eventsBefore };

  if (base.word !== 'base') return bad(`unexpected ${quoteText(base.word)} after the source name (expected 'base 0xHEX')`, base.index);
  if (hex === undefined) return bad(`'base' needs a hexadecimal id such as 0x8000000100000000`, base.index);
  if (!/^0[xX][0-9a-fA-F]+$/.test(hex.word)) return bad(`base ${quoteText(hex.word)} is not a hexadecimal number (write 0x…)`, hex.index);
  if (extra !== undefined) return bad(`unexpected ${quoteText(extra.word)} at the end of the include line`, extra.index);
  return { path, sourceName: name.word, base: BigInt(hex.word.toLowerCase()), location, eventsBefore: ctx.eventsBefore };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /[ \t\n\r\f\v]/.test(text[i]!)) i++;
  return i;
}
