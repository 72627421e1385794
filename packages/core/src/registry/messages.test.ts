import { describe, expect, it } from 'vitest';
import { printable } from './messages.js';

describe('printable', () => {
  it('keeps ordinary names and printable punctuation, backslash included', () => {
    expect(printable('qemu_memalign')).toBe('qemu_memalign');
    expect(printable('a\\b *?[]')).toBe('a\\b *?[]');
    expect(printable('é\u{1f600}')).toBe('é\u{1f600}');
  });

  it('escapes every character that could break a one-line message', () => {
    expect(printable('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(printable('\x00\x1b\x7f\x85')).toBe('\\x00\\x1b\\x7f\\x85');
    expect(printable('\u2028\u2029')).toBe('\\u2028\\u2029');
  });
});
