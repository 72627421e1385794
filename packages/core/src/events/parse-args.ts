// The argument list of an event line, split the way tracetool splits it (spec §2.2 item 7).
import { resolveArgType } from './arg-types.js';
import type { ArgDecl } from './decl.js';
import { quoteText } from './quote-text.js';

/** QEMU's limit on arguments per event, for every backend. */
export const MAX_EVENT_ARGS = 10;

/** A fault in an argument list: code, message and the 0-based offset inside the list text. */
export interface ArgProblem {
  readonly code: 'E_PARSE' | 'E_TYPE';
  readonly message: string;
  readonly offset: number;
}

/** The arguments that resolved and every problem found (the list is usable only when `problems` is empty). */
export interface ParsedArgs {
  readonly args: readonly ArgDecl[];
  readonly problems: readonly ArgProblem[];
}

const SPACE = /[ \t\n\r\f\v]/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits the text between `(` and `)` into typed arguments, reporting every bad piece (offsets relative to `text`).
 * Must not stop at the first problem: lint shows them all.
 */
export function parseArgList(text: string): ParsedArgs {
  const args: ArgDecl[] = [];
  const problems: ArgProblem[] = [];
  let pieceStart = 0;
  let declared = 0;
  for (const raw of text.split(',')) {
    const offset = pieceStart;
    pieceStart += raw.length + 1;
    const lead = leadingSpace(raw);
    const piece = raw.slice(lead, raw.length - trailingSpace(raw));
    const at = offset + lead;
    if (piece === '') {
      problems.push({ code: 'E_PARSE', message: "Empty argument (did you forget to use 'void'?)", offset: at });
      continue;
    }
    if (piece === 'void') continue;
    declared++;
    if (declared === MAX_EVENT_ARGS + 1) {
      problems.push({ code: 'E_PARSE', message: `more than ${MAX_EVENT_ARGS} arguments (QEMU's maximum for every backend)`, offset: at });
    }
    const split = splitTypeAndName(piece);
    if (split === undefined) {
      problems.push({ code: 'E_PARSE', message: `argument ${quoteText(piece)} needs a type and a name`, offset: at });
      continue;
    }
    const { type, name, nameOffset } = split;
    if (name === '') {
      problems.push({ code: 'E_PARSE', message: `argument ${quoteText(piece)} has no name`, offset: at + piece.length });
      continue;
    }
    if (!IDENTIFIER.test(name)) {
      problems.push({ code: 'E_PARSE', message: `argument name ${quoteText(name)} is not a C identifier`, offset: at + nameOffset });
      continue;
    }
    const resolved = resolveArgType(type);
    if (!resolved.ok) {
      problems.push({ code: 'E_TYPE', message: resolved.problem.message, offset: at + resolved.problem.offset });
      continue;
    }
    args.push({ name, type: resolved.type });
  }
  return { args, problems };
}

// A star splits at the last `*` (`char **obj` → `char **`); otherwise the last run of spaces splits.
function splitTypeAndName(piece: string): { type: string; name: string; nameOffset: number } | undefined {
  const star = piece.lastIndexOf('*');
  if (star >= 0) {
    const rest = piece.slice(star + 1);
    const lead = leadingSpace(rest);
    return { type: piece.slice(0, star + 1), name: rest.slice(lead), nameOffset: star + 1 + lead };
  }
  let end = piece.length;
  while (end > 0 && !SPACE.test(piece[end - 1]!)) end--;
  if (end === 0) return undefined;
  let typeEnd = end;
  while (typeEnd > 0 && SPACE.test(piece[typeEnd - 1]!)) typeEnd--;
  return { type: piece.slice(0, typeEnd), name: piece.slice(end), nameOffset: end };
}

function leadingSpace(s: string): number {
  let i = 0;
  while (i < s.length && SPACE.test(s[i]!)) i++;
  return i;
}

function trailingSpace(s: string): number {
  let i = 0;
  while (i < s.length && SPACE.test(s[s.length - 1 - i]!)) i++;
  return i;
}
