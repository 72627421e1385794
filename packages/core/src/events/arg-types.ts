// Argument C types: QEMU's whitelist check and the resolution of a type to how its value travels (LP64 glibc host).
import type { ArgType } from './decl.js';
import { quoteText } from './quote-text.js';

/** The type words tracetool accepts (spec §2.2 item 7); `const` is accepted besides these. */
export const ALLOWED_TYPE_WORDS: ReadonlySet<string> = new Set([
  'int',
  'long',
  'short',
  'char',
  'bool',
  'unsigned',
  'signed',
  'int8_t',
  'uint8_t',
  'int16_t',
  'uint16_t',
  'int32_t',
  'uint32_t',
  'int64_t',
  'uint64_t',
  'void',
  'size_t',
  'ssize_t',
  'uintptr_t',
  'ptrdiff_t',
]);

/** Why a type was refused, with the 0-based offset of the offending text inside the type. */
export interface ArgTypeProblem {
  readonly message: string;
  readonly offset: number;
}

/** Either the resolved type or the problem that stops it resolving. */
export type ArgTypeResult = { readonly ok: true; readonly type: ArgType } | { readonly ok: false; readonly problem: ArgTypeProblem };

type ValueShape = Pick<ArgType, 'bits' | 'signed' | 'isBool'>;

// Typedef names stand alone (apart from `const`); their LP64 glibc meaning.
const TYPEDEFS: Readonly<Record<string, ValueShape>> = {
  int8_t: { bits: 8, signed: true, isBool: false },
  uint8_t: { bits: 8, signed: false, isBool: false },
  int16_t: { bits: 16, signed: true, isBool: false },
  uint16_t: { bits: 16, signed: false, isBool: false },
  int32_t: { bits: 32, signed: true, isBool: false },
  uint32_t: { bits: 32, signed: false, isBool: false },
  int64_t: { bits: 64, signed: true, isBool: false },
  uint64_t: { bits: 64, signed: false, isBool: false },
  size_t: { bits: 64, signed: false, isBool: false },
  ssize_t: { bits: 64, signed: true, isBool: false },
  uintptr_t: { bits: 64, signed: false, isBool: false },
  ptrdiff_t: { bits: 64, signed: true, isBool: false },
};

const ASCII_SPACE = /[ \t\n\r\f\v]/;

/**
 * QEMU's whitelist check, exactly: split on single spaces, drop `*` from each word, and every non-empty word must be
 * `const` or a whitelisted word. Returns the offset (inside `text`) of the first refused word, or -1.
 * Must not judge whether the words combine into a C type; `resolveArgType` does that.
 */
export function findDisallowedTypeWord(text: string): number {
  let offset = 0;
  for (const piece of text.split(' ')) {
    const word = piece.replaceAll('*', '');
    if (word !== '' && word !== 'const' && !ALLOWED_TYPE_WORDS.has(word)) return offset;
    offset += piece.length + 1;
  }
  return -1;
}

/** QEMU's simpletrace string rule (spec §5.1): a `char *` spelling at the start, and exactly one `*` in the type. */
export function isStringType(text: string): boolean {
  const t = text.replace(/^[ \t\n\r\f\v]+/, '');
  const prefixed = t.startsWith('const char*') || t.startsWith('char*') || t.startsWith('const char *') || t.startsWith('char *');
  return prefixed && text.split('*').length === 2;
}

/** Spacing-normalised spelling: words single-spaced, stars glued to each other and spaced from words (`char **`). */
export function normalizeTypeText(text: string): string {
  let out = '';
  let prevStar = false;
  for (const token of text.match(/\*|[^*\s]+/g) ?? []) {
    const star = token === '*';
    if (out !== '' && !(star && prevStar)) out += ' ';
    out += token;
    prevStar = star;
  }
  return out;
}

/**
 * Resolves a catalog type to its value kind, width and signedness on an LP64 glibc host where char is signed.
 * Checks QEMU's whitelist first, then that the words form one C type (QEMU leaves that to the C compiler).
 * Must not accept `void` as a value type: only `(void)` lists and pointers may use it.
 */
export function resolveArgType(text: string): ArgTypeResult {
  const bad = findDisallowedTypeWord(text);
  if (bad >= 0) {
    return fail(
      `argument type ${quoteText(text)} is not allowed: use a standard C or fixed-width integer type; ` +
        `struct, union and other complex pointer types should be declared as 'void *'`,
      bad,
    );
  }
  const normalized = normalizeTypeText(text);
  const pointer = text.includes('*');
  const words = text.replaceAll('*', ' ').split(ASCII_SPACE).filter((w) => w !== '' && w !== 'const');
  const shape = combineSpecifiers(words);
  if (shape === 'void') {
    if (!pointer) return fail(`argument type ${quoteText(text)} is void: only '(void)' lists and pointers may use void`, 0);
  } else if (shape === undefined) {
    return fail(`argument type ${quoteText(text)} is not a valid C type`, 0);
  }
  if (pointer) {
    const kind = isStringType(text) ? 'string' : 'pointer';
    return { ok: true, type: { text, normalized, kind, bits: 64, signed: false, isBool: false } };
  }
  const value = shape as ValueShape;
  return { ok: true, type: { text, normalized, kind: 'int', bits: value.bits, signed: value.signed, isBool: value.isBool } };
}

function fail(message: string, offset: number): ArgTypeResult {
  return { ok: false, problem: { message, offset } };
}

// C's type-specifier rules for the whitelisted words, in any order (`long unsigned int` is `unsigned long`).
function combineSpecifiers(words: readonly string[]): ValueShape | 'void' | undefined {
  if (words.length === 0) return undefined;
  if (words.length === 1) {
    const only = words[0]!;
    if (only === 'void') return 'void';
    if (only === 'bool') return { bits: 8, signed: false, isBool: true };
    if (only in TYPEDEFS) return TYPEDEFS[only];
  }
  let signedWords = 0;
  let unsignedWords = 0;
  let shorts = 0;
  let longs = 0;
  let chars = 0;
  let ints = 0;
  for (const w of words) {
    if (w === 'signed') signedWords++;
    else if (w === 'unsigned') unsignedWords++;
    else if (w === 'short') shorts++;
    else if (w === 'long') longs++;
    else if (w === 'char') chars++;
    else if (w === 'int') ints++;
    else return undefined; // void, bool or a typedef combined with other words
  }
  if (signedWords + unsignedWords > 1 || ints > 1 || chars > 1 || shorts > 1 || longs > 2) return undefined;
  if (chars === 1 && (ints > 0 || shorts > 0 || longs > 0)) return undefined;
  if (shorts === 1 && longs > 0) return undefined;
  const signed = unsignedWords === 0;
  if (chars === 1) return { bits: 8, signed, isBool: false };
  if (shorts === 1) return { bits: 16, signed, isBool: false };
  if (longs > 0) return { bits: 64, signed, isBool: false };
  return { bits: 32, signed, isBool: false };
}
