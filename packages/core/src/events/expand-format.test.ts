import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandFormat, type PriStyle } from './expand-format.js';

function template(raw: string, style?: PriStyle): string {
  const r = expandFormat(raw, style);
  if (!r.ok) throw new Error(`expected ${raw} to tokenise: ${r.message} at ${r.column}`);
  return r.template;
}

function failure(raw: string): { message: string; column: number } {
  const r = expandFormat(raw);
  if (r.ok) throw new Error(`expected ${raw} to fail, got ${JSON.stringify(r.template)}`);
  return r;
}

describe('expandFormat: literals and escapes (spec §2.3)', () => {
  it('gives an empty template for an empty format and for ""', () => {
    expect(template('')).toBe('');
    expect(template('""')).toBe('');
  });

  it('joins adjacent literals and ignores the spaces between them', () => {
    expect(template('"a" "b"  "c"')).toBe('abc');
    expect(template('"a""b"')).toBe('ab');
    expect(template('"a" \t"b"   ')).toBe('ab');
  });

  it('resolves every simple escape to its byte', () => {
    expect(template('"\\\\"')).toBe('\\');
    expect(template('"\\""')).toBe('"');
    expect(template('"\\a"').charCodeAt(0)).toBe(7);
    expect(template('"\\b"').charCodeAt(0)).toBe(8);
    expect(template('"\\f"').charCodeAt(0)).toBe(12);
    expect(template('"\\n"').charCodeAt(0)).toBe(10);
    expect(template('"\\r"').charCodeAt(0)).toBe(13);
    expect(template('"\\t"').charCodeAt(0)).toBe(9);
  });

  it('resolves \\xHH in either case to one byte', () => {
    expect(template('"\\x41\\x7a\\xFF\\x00"')).toBe('Az\xff\x00');
    expect(template('"\\xaB"').charCodeAt(0)).toBe(0xab);
  });

  it('keeps bytes above 0x7f and # and parentheses as they are', () => {
    expect(template('"caf\xe9 #%d (%s)"')).toBe('caf\xe9 #%d (%s)');
  });
});

describe('expandFormat: PRI macros, tracetool style', () => {
  const sizes: readonly (readonly [string, string])[] = [
    ['8', 'hh'],
    ['16', 'h'],
    ['32', ''],
    ['64', 'll'],
    ['PTR', 't'],
    ['MAX', 'j'],
  ];
  for (const letter of ['d', 'i', 'u', 'x', 'X']) {
    for (const [size, modifier] of sizes) {
      it(`PRI${letter}${size} → %${modifier}${letter}`, () => {
        expect(template(`"%" PRI${letter}${size}`, 'tracetool')).toBe(`%${modifier}${letter}`);
      });
    }
  }

  it('expands a macro glued to the quotes on both sides', () => {
    expect(template('"0x%"PRIx64" size"', 'tracetool')).toBe('0x%llx size');
    expect(template('"ra:0x%"PRIxPTR""', 'tracetool')).toBe('ra:0x%tx');
    expect(template('"0x%"PRIx64" size"')).toBe('0x%lx size');
  });
});

describe('expandFormat: PRI macros, glibc-lp64 style (the default)', () => {
  it('expands every macro to what this machine\'s <inttypes.h> defines', () => {
    const macros = ['d', 'i', 'u', 'x', 'X'].flatMap((l) => ['8', '16', '32', '64', 'PTR', 'MAX'].map((s) => `PRI${l}${s}`));
    const dir = mkdtempSync(join(tmpdir(), 'unitrace-pri-'));
    const source = `#include <stdio.h>\n#include <inttypes.h>\nint main(void) {\n${macros.map((m) => `  puts(${m});`).join('\n')}\n  return 0;\n}\n`;
    writeFileSync(join(dir, 'pri.c'), source);
    execFileSync('gcc', ['-o', join(dir, 'pri'), join(dir, 'pri.c')]);
    const fromGlibc = execFileSync(join(dir, 'pri'), { encoding: 'latin1' }).trimEnd().split('\n');
    expect(macros.map((m) => template(`"%" ${m}`))).toEqual(fromGlibc.map((s) => `%${s}`));
  });
});

describe('expandFormat: errors carry the column inside the raw format', () => {
  it('refuses a macro that is not PRI[diuxX](8|16|32|64|PTR|MAX)', () => {
    expect(failure('"%" TARGET_FMT_lx')).toMatchObject({ column: 5 });
    expect(failure('"%" PRIo64')).toMatchObject({ column: 5 });
    expect(failure('"%" PRIx128')).toMatchObject({ column: 5 });
    expect(failure('"%" PRIxFAST64')).toMatchObject({ column: 5 });
    expect(failure('"%" PRIx64abc')).toMatchObject({ column: 5 });
  });

  it('refuses text after the closing quote', () => {
    expect(failure('"%d" junk')).toMatchObject({ column: 6 });
    expect(failure('"%d",')).toMatchObject({ column: 5 });
  });

  it('refuses an unterminated literal at its opening quote', () => {
    expect(failure('"a" "abc')).toMatchObject({ column: 5, message: 'unterminated string literal' });
    expect(failure('"')).toMatchObject({ column: 1 });
    expect(failure('"ends with backslash\\"')).toMatchObject({ column: 1 });
  });

  it('refuses escapes outside the list, octal escapes included', () => {
    for (const [raw, column] of [
      ['"a\\v"', 3],
      ['"\\0"', 2],
      ['"\\101"', 2],
      ["\"\\'\"", 2],
      ['"\\?"', 2],
      ['"\\e"', 2],
    ] as const) {
      expect(failure(raw).column, raw).toBe(column);
    }
  });

  it('refuses \\x with fewer than two hex digits, or more', () => {
    expect(failure('"\\x4"')).toMatchObject({ column: 2 });
    expect(failure('"\\xg0"')).toMatchObject({ column: 2 });
    expect(failure('"ab\\x414"')).toMatchObject({ column: 4 });
  });

  it('refuses a format that does not start with a literal only where the stray text is', () => {
    expect(failure("'%d'")).toMatchObject({ column: 1 });
  });
});
