import { describe, expect, it } from 'vitest';
import { isTraceError } from '../errors.js';
import { parseFormat, scanFormat, type ConversionSpec } from './parse-format.js';

function only(template: string): ConversionSpec {
  const spec = parseFormat(template);
  expect(spec.conversions).toHaveLength(1);
  return spec.conversions[0];
}

function errorOf(template: string): string {
  try {
    parseFormat(template, { file: 'hw/x/trace-events', line: 3 });
  } catch (err) {
    expect(isTraceError(err, 'E_FORMAT')).toBe(true);
    return String(err);
  }
  throw new Error(`no error for ${template}`);
}

describe('parseFormat', () => {
  it('splits literal runs and conversions, with 1-based columns', () => {
    const spec = parseFormat('addr 0x%08llx size %u');
    expect(spec.pieces.map((p) => (p.kind === 'literal' ? p.text : p.text))).toEqual(['addr 0x', '%08llx', ' size ', '%u']);
    expect(spec.pieces.map((p) => p.column)).toEqual([1, 8, 14, 20]);
    expect(spec.argCount).toBe(2);
  });

  it('reads every flag, a width, a precision and a length', () => {
    const c = only('%-0# +12.5hhd');
    expect([c.minus, c.zero, c.hash, c.space, c.plus]).toEqual([true, true, true, true, true]);
    expect([c.width, c.precision, c.length, c.conversion]).toEqual([12, 5, 'hh', 'd']);
  });

  it('treats a leading 0 as the flag, not part of the width', () => {
    const c = only('%010llx');
    expect([c.zero, c.width, c.length, c.conversion]).toEqual([true, 10, 'll', 'x']);
  });

  it('reads `.` alone as precision 0 and `*` as taking an argument', () => {
    expect(only('%.x').precision).toBe(0);
    const star = parseFormat('%0*llx %-*.*s');
    expect(star.conversions.map((c) => [c.width, c.precision])).toEqual([
      ['*', undefined],
      ['*', '*'],
    ]);
    expect(star.argCount).toBe(5);
  });

  it('accepts every length modifier on integer conversions', () => {
    for (const len of ['hh', 'h', 'l', 'll', 'z', 't', 'j', 'L', 'q']) expect(only(`%${len}u`).length).toBe(len);
  });

  it('turns %% into a literal percent that takes no argument', () => {
    const spec = parseFormat('%u%% done');
    expect(spec.argCount).toBe(1);
    expect(spec.pieces[1]).toEqual({ kind: 'literal', text: '% done', column: 3 });
  });

  it('rejects %n, floating point, %m, wide and unknown conversions, naming the column', () => {
    expect(errorOf('ab %n')).toContain('format column 4');
    expect(errorOf('x %5.2f')).toMatch(/column 3: floating-point conversion '%5\.2f'/);
    expect(errorOf('%m')).toMatch(/unknown conversion '%m'/);
    expect(errorOf('%lc')).toMatch(/length modifier/);
    expect(errorOf('%ls')).toMatch(/length modifier/);
    expect(errorOf('%1$d')).toMatch(/positional/);
    expect(errorOf('%5%')).toMatch(/'%%' takes no flags/);
    expect(errorOf('ok %ll')).toMatch(/column 4: incomplete conversion/);
    expect(errorOf('%99999d')).toMatch(/field width/);
  });

  it('puts the event location on the error and the column in its message', () => {
    expect(errorOf('%k')).toBe("hw/x/trace-events:3: format column 1: unknown conversion '%k'");
  });

  it('scanFormat returns the valid prefix and the first fault without throwing', () => {
    const scan = scanFormat('a %d b %n c %u');
    expect(scan.error?.column).toBe(8);
    expect(scan.pieces.map((p) => p.kind)).toEqual(['literal', 'conversion', 'literal']);
  });

  it('parses an empty template to nothing', () => {
    expect(parseFormat('')).toEqual({ template: '', pieces: [], conversions: [], argCount: 0 });
  });
});
