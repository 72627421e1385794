import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, isPattern, matchPattern } from './pattern.js';

/**
 * The obvious recursive definition of `*`/`?` globbing, written independently of the matcher under test: `*`
 * tries every split, `?` takes one code point, anything else must be equal. Exponential, fine for short strings.
 */
function reference(pattern: string[], name: string[]): boolean {
  if (pattern.length === 0) return name.length === 0;
  const [head, ...rest] = pattern;
  if (head === '*') {
    for (let i = 0; i <= name.length; i++) if (reference(rest, name.slice(i))) return true;
    return false;
  }
  if (name.length === 0) return false;
  return (head === '?' || head === name[0]) && reference(rest, name.slice(1));
}

describe('isPattern (spec §4.1, §4.4: a pattern iff it contains `*`)', () => {
  it('is true only with a star', () => {
    expect(isPattern('qemu_*')).toBe(true);
    expect(isPattern('*')).toBe(true);
    expect(isPattern('qemu_memalign')).toBe(false);
    expect(isPattern('qemu_memalig?')).toBe(false);
    expect(isPattern('')).toBe(false);
  });
});

describe('glob matching (GLib g_pattern_match_simple)', () => {
  it('`*` matches any run, the empty one included', () => {
    expect(matchPattern('qemu_*', 'qemu_')).toBe(true);
    expect(matchPattern('qemu_*', 'qemu_memalign')).toBe(true);
    expect(matchPattern('*memalign', 'qemu_memalign')).toBe(true);
    expect(matchPattern('q*m*n', 'qemu_memalign')).toBe(true);
    expect(matchPattern('*', '')).toBe(true);
    expect(matchPattern('**', 'x')).toBe(true);
    expect(matchPattern('a**b', 'ab')).toBe(true);
  });

  it('`?` matches exactly one character', () => {
    expect(matchPattern('qemu_vmallo?', 'qemu_vmalloc')).toBe(true);
    expect(matchPattern('qemu_vmallo?', 'qemu_vmallo')).toBe(false);
    expect(matchPattern('qemu_vmallo?', 'qemu_vmallocc')).toBe(false);
    expect(matchPattern('?', '')).toBe(false);
    expect(matchPattern('*?', '')).toBe(false);
    expect(matchPattern('*?', 'a')).toBe(true);
  });

  it('matches the whole name, case-sensitively', () => {
    expect(matchPattern('memalign', 'qemu_memalign')).toBe(false);
    expect(matchPattern('qemu', 'qemu_memalign')).toBe(false);
    expect(matchPattern('QEMU_*', 'qemu_memalign')).toBe(false);
    expect(matchPattern('qemu_memalign', 'qemu_memalign')).toBe(true);
  });

  it('gives every other character its literal meaning (no RegExp syntax, no escapes, no classes)', () => {
    for (const special of ['.', '+', '(', ')', '[', ']', '{', '}', '^', '$', '|', '\\', '/']) {
      expect(matchPattern(`a${special}*`, `a${special}b`)).toBe(true);
      expect(matchPattern(`a${special}*`, 'axb')).toBe(false);
    }
    expect(matchPattern('[ab]', 'a')).toBe(false);
    expect(matchPattern('[ab]', '[ab]')).toBe(true);
    // GLib has no escape: a backslash is a literal and the `*` after it is still a wildcard.
    expect(matchPattern('a\\*', 'a\\xyz')).toBe(true);
    expect(matchPattern('a\\*', 'a*')).toBe(false);
  });

  it('counts `?` in characters, not UTF-16 units (GLib steps over whole UTF-8 characters)', () => {
    expect(matchPattern('a?b', 'a\u{1f600}b')).toBe(true);
    expect(matchPattern('a??b', 'a\u{1f600}b')).toBe(false);
    expect(matchPattern('*\u{1f600}', 'xy\u{1f600}')).toBe(true);
    expect(matchPattern('*?b', '\u{1f600}b')).toBe(true);
  });

  it('compiles once and can be reused over many names', () => {
    const test = compilePattern('dev_?_*');
    expect(['dev_a_x', 'dev_ab_x', 'dev_b_', 'dev__'].map(test)).toEqual([true, false, true, false]);
  });

  it('agrees with a backtracking reference on random patterns and names', () => {
    const patternChar = fc.constantFrom('a', 'b', '*', '?');
    // Names may hold `*` and `?` too: in a name they are ordinary characters.
    const nameChar = fc.constantFrom('a', 'b', 'a', 'b', '*', '?', '\u{1f600}');
    fc.assert(
      fc.property(fc.array(patternChar, { maxLength: 8 }), fc.array(nameChar, { maxLength: 10 }), (p, n) => {
        expect(matchPattern(p.join(''), n.join(''))).toBe(reference(p, n));
      }),
      { numRuns: 5000 },
    );
  });
});
