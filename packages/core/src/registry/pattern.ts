// Glob matching of event names with GLib g_pattern_match_simple semantics (spec §4.1): `*` and `?`, nothing else.

/** Token values below 0 are wildcards; every other token is one literal code point. */
const STAR = -1;
const ANY = -2;

/** A compiled glob: call it with a name to learn whether the whole name matches. */
export type NameMatcher = (name: string) => boolean;

/**
 * True when `text` is a *pattern* in QEMU's sense: it contains `*` (spec §4.1, §4.4). A `?` alone does not make a
 * pattern, though it still matches as a wildcard. Must not be used to decide whether `text` matches anything.
 */
export function isPattern(text: string): boolean {
  return text.includes('*');
}

/**
 * Compiles a glob once into a matcher to run over many names: `*` matches any run of characters (empty too), `?`
 * exactly one character (a code point, as GLib counts UTF-8 characters), every other character only itself,
 * case-sensitive, over the whole name. There is no escape and no character class, as in GLib. Never builds a
 * RegExp, so no character of the pattern can mean anything else.
 */
export function compilePattern(pattern: string): NameMatcher {
  const tokens: number[] = [];
  for (const ch of pattern) {
    const token = ch === '*' ? STAR : ch === '?' ? ANY : ch.codePointAt(0)!;
    // Runs of `*` match exactly what one `*` matches; collapsing them keeps the backtracking below linear per star.
    if (token === STAR && tokens[tokens.length - 1] === STAR) continue;
    tokens.push(token);
  }
  if (!tokens.includes(STAR) && !tokens.includes(ANY)) return (name) => name === pattern;
  const compiled = Int32Array.from(tokens);
  return (name) => matchTokens(compiled, name);
}

/** One-shot `compilePattern(pattern)(name)`. Must not be used in a loop over names: compile once instead. */
export function matchPattern(pattern: string, name: string): boolean {
  return compilePattern(pattern)(name);
}

/**
 * Classic wildcard matching that remembers only the last `*`: when a later literal fails, that star swallows one
 * more character and matching resumes after it. With only fixed-width `?` between stars this is exact, and it
 * takes O(pattern × name) steps at worst, where a backtracking RegExp could take exponential time on hostile input.
 */
function matchTokens(tokens: Int32Array, name: string): boolean {
  let t = 0;
  let n = 0;
  let afterStar = -1;
  let starFrom = 0;
  while (n < name.length) {
    const cp = name.codePointAt(n)!;
    if (t < tokens.length) {
      const token = tokens[t];
      if (token === STAR) {
        afterStar = ++t;
        starFrom = n;
        continue;
      }
      if (token === ANY || token === cp) {
        t++;
        n += cp > 0xffff ? 2 : 1;
        continue;
      }
    }
    if (afterStar < 0) return false;
    starFrom += name.codePointAt(starFrom)! > 0xffff ? 2 : 1;
    n = starFrom;
    t = afterStar;
  }
  while (t < tokens.length && tokens[t] === STAR) t++;
  return t === tokens.length;
}
