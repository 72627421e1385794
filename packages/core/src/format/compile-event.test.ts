import { describe, expect, it } from 'vitest';
import { makeDecl } from '../../test/support/c-types.js';
import { compileEventFormat } from './compile-event.js';
import { renderValues } from './render.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('compileEventFormat', () => {
  it('expands PRI macros and escapes of the raw catalog format before binding', () => {
    const decl = makeDecl('ev', ['uint64_t', 'uint8_t', 'const char *'], '"\\taddr 0x%" PRIx64 " v %02" PRIx8 " \\"%s\\""');
    const c = compileEventFormat(decl);
    expect(c.diagnostics).toEqual([]);
    expect(text(renderValues(c, [0xfeedn, 0x10an, 'n']))).toBe('\taddr 0xfeed v 0a "n"');
  });

  it('renders an absent format as nothing', () => {
    expect(renderValues(compileEventFormat(makeDecl('ev', [], '')), []).length).toBe(0);
  });

  it('reports a raw format that does not tokenise and prints its raw text', () => {
    const decl = makeDecl('ev', ['int'], '"x %d" TARGET_FMT_lx');
    const c = compileEventFormat(decl);
    expect(c.diagnostics).toHaveLength(1);
    expect(c.diagnostics[0]).toMatchObject({ severity: 'error', code: 'E_FORMAT' });
    expect(c.diagnostics[0].message).toMatch(/^raw format column 8: /);
    expect(text(renderValues(c, [1n]))).toBe('"x %d" TARGET_FMT_lx');
  });
});
