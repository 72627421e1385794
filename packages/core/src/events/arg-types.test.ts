import { describe, expect, it } from 'vitest';
import { findDisallowedTypeWord, isStringType, normalizeTypeText, resolveArgType } from './arg-types.js';
import type { ArgType } from './decl.js';

function resolved(text: string): ArgType {
  const r = resolveArgType(text);
  if (!r.ok) throw new Error(`${text}: ${r.problem.message}`);
  return r.type;
}

function value(text: string): [number, boolean, boolean] {
  const t = resolved(text);
  expect(t.kind, text).toBe('int');
  return [t.bits, t.signed, t.isBool];
}

describe('resolveArgType: value types on LP64 glibc, x86-64 char', () => {
  const table: readonly (readonly [string, number, boolean, boolean?])[] = [
    ['char', 8, true],
    ['const char', 8, true],
    ['signed char', 8, true],
    ['int8_t', 8, true],
    ['unsigned char', 8, false],
    ['uint8_t', 8, false],
    ['const uint8_t', 8, false],
    ['bool', 8, false, true],
    ['short', 16, true],
    ['short int', 16, true],
    ['int16_t', 16, true],
    ['unsigned short', 16, false],
    ['uint16_t', 16, false],
    ['int', 32, true],
    ['const int', 32, true],
    ['signed', 32, true],
    ['int32_t', 32, true],
    ['unsigned', 32, false],
    ['unsigned int', 32, false],
    ['uint32_t', 32, false],
    ['long', 64, true],
    ['long int', 64, true],
    ['long long', 64, true],
    ['int64_t', 64, true],
    ['ssize_t', 64, true],
    ['ptrdiff_t', 64, true],
    ['unsigned long', 64, false],
    ['long unsigned int', 64, false],
    ['unsigned long long', 64, false],
    ['uint64_t', 64, false],
    ['size_t', 64, false],
    ['uintptr_t', 64, false],
  ];
  for (const [text, bits, signed, isBool = false] of table) {
    it(`${text} → ${bits}-bit ${signed ? 'signed' : 'unsigned'}${isBool ? ' bool' : ''}`, () => {
      expect(value(text)).toEqual([bits, signed, isBool]);
    });
  }
});

describe('resolveArgType: strings and pointers (spec §5.1)', () => {
  it('classifies the four char * spellings with one star as strings', () => {
    for (const t of ['const char *', 'const char*', 'char *', 'char*']) expect(resolved(t).kind, t).toBe('string');
  });

  it('classifies every other pointer as a 64-bit unsigned pointer', () => {
    for (const t of ['char **', 'void *', 'void*', 'const void *', 'uint8_t *', 'bool *', 'int64_t *', 'char const *']) {
      const r = resolved(t);
      expect([r.kind, r.bits, r.signed], t).toEqual(['pointer', 64, false]);
    }
  });

  it('applies the string rule to the text as written, as QEMU does', () => {
    expect(isStringType('  const char *')).toBe(true);
    expect(isStringType('const  char *')).toBe(false);
    expect(isStringType('char')).toBe(false);
  });
});

describe('normalizeTypeText', () => {
  it('single-spaces words and writes pointers as T * / T **', () => {
    expect(normalizeTypeText('char*')).toBe('char *');
    expect(normalizeTypeText('const char*')).toBe('const char *');
    expect(normalizeTypeText('void*')).toBe('void *');
    expect(normalizeTypeText('char **')).toBe('char **');
    expect(normalizeTypeText('char * *')).toBe('char **');
    expect(normalizeTypeText('unsigned  long\tlong')).toBe('unsigned long long');
    expect(normalizeTypeText('long unsigned int')).toBe('long unsigned int');
  });

  it('is what resolveArgType reports as normalized, keeping the text as written', () => {
    expect(resolved('const char*')).toMatchObject({ text: 'const char*', normalized: 'const char *' });
  });
});

describe('resolveArgType: refusals', () => {
  it("refuses words off QEMU's whitelist with its advice, pointing at the word", () => {
    for (const [t, offset] of [
      ['hwaddr', 0],
      ['struct foo *', 0],
      ['const Foo *', 6],
      ['float', 0],
      ['double', 0],
      ['TCGv', 0],
    ] as const) {
      const r = resolveArgType(t);
      expect(r.ok, t).toBe(false);
      if (!r.ok) {
        expect(r.problem.offset, t).toBe(offset);
        expect(r.problem.message).toContain("should be declared as 'void *'");
      }
    }
  });

  it('splits on single spaces like QEMU, so a tab glues two words into one refused word', () => {
    expect(findDisallowedTypeWord('unsigned\tint')).toBe(0);
    expect(findDisallowedTypeWord('unsigned  int')).toBe(-1);
  });

  it('refuses void as a value type but allows void pointers', () => {
    expect(resolveArgType('void').ok).toBe(false);
    expect(resolveArgType('const void').ok).toBe(false);
    expect(resolved('const void *').kind).toBe('pointer');
  });

  it('refuses whitelisted words that do not combine into one C type', () => {
    for (const t of ['const', 'int int', 'short long', 'char int', 'signed unsigned', 'long long long', 'uint8_t int', 'bool int', 'unsigned size_t']) {
      expect(resolveArgType(t).ok, t).toBe(false);
    }
  });
});
