import { describe, expect, it } from 'vitest';
import { makeDecl } from '../../test/support/c-types.js';
import { compileFormat } from './compile-format.js';
import { FORMAT_MARKERS } from './format-op.js';
import { renderValues } from './render.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('compileFormat', () => {
  it('binds a correct format without diagnostics', () => {
    const c = compileFormat(makeDecl('ev', ['uint64_t', 'const char *', 'int']), 'a 0x%llx s %s n %d');
    expect(c.diagnostics).toEqual([]);
    expect(c.ok).toBe(true);
  });

  it('counts each * as one int argument, before the value it sizes', () => {
    const c = compileFormat(makeDecl('ev', ['int', 'uint64_t', 'int', 'int', 'const char *']), '%0*llx|%*.*s');
    expect(c.diagnostics).toEqual([]);
    expect(text(renderValues(c, [6n, 0xabn, -4n, 2n, 'xyz']))).toBe('0000ab|xy  ');
  });

  it('warns W_ARG_COUNT for too many arguments and still renders', () => {
    const c = compileFormat(makeDecl('ev', ['int', 'int']), 'x %d');
    expect(c.diagnostics).toHaveLength(1);
    expect(c.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'W_ARG_COUNT', location: { file: 'test' } });
    expect(c.diagnostics[0].message).toBe("format consumes 1 argument but 'ev' declares 2");
    expect(c.ok).toBe(true);
    expect(text(renderValues(c, [7n, 8n]))).toBe('x 7');
  });

  it('warns W_ARG_COUNT for too few arguments and prints the missing marker in their place', () => {
    const c = compileFormat(makeDecl('ev', ['int']), '%d %x %*d');
    expect(c.diagnostics.map((d) => d.code)).toEqual(['W_ARG_COUNT']);
    expect(c.diagnostics[0].message).toBe("format consumes 4 arguments but 'ev' declares 1");
    expect(text(renderValues(c, [1n]))).toBe(`1 ${FORMAT_MARKERS.missing} ${FORMAT_MARKERS.missing}`);
  });

  it('reports %s of a non-string as E_FORMAT and never dereferences it', () => {
    const c = compileFormat(makeDecl('ev', ['char **', 'uint32_t']), 'p %s v %u');
    expect(c.diagnostics).toHaveLength(1);
    expect(c.diagnostics[0]).toMatchObject({ severity: 'error', code: 'E_FORMAT' });
    expect(c.diagnostics[0].message).toContain("'%s' at format column 3 takes a string but argument 'a0' is 'char **'");
    expect(c.ok).toBe(false);
    expect(text(renderValues(c, [0x1000n, 5n]))).toBe(`p ${FORMAT_MARKERS.nonString} v 5`);
  });

  it('reports a string under a numeric conversion or a * as E_FORMAT', () => {
    const c = compileFormat(makeDecl('ev', ['const char *', 'const char *', 'int']), '%d %*d');
    expect(c.diagnostics.map((d) => d.code)).toEqual(['E_FORMAT', 'E_FORMAT']);
    expect(text(renderValues(c, ['a', 'b', 1n]))).toBe(`${FORMAT_MARKERS.string} ${FORMAT_MARKERS.string}`);
  });

  it('turns a template that does not parse into E_FORMAT and renders its prefix, then the rest verbatim', () => {
    const c = compileFormat(makeDecl('ev', ['int', 'int']), 'a %d b %n c %d');
    expect(c.diagnostics).toHaveLength(1);
    expect(c.diagnostics[0].message).toBe("format column 8: conversion '%n' is not allowed");
    expect(text(renderValues(c, [1n, 2n]))).toBe('a 1 b %n c %d');
  });

  it('compiles an empty template of a (void) event to no output', () => {
    const c = compileFormat(makeDecl('ev', []), '');
    expect(c.diagnostics).toEqual([]);
    expect(renderValues(c, []).length).toBe(0);
  });
});
