import { describe, expect, it } from 'vitest';
import { isTraceError } from '../errors.js';
import type { Diagnostic } from '../events/decl.js';
import { catalogError, diagnosticsOf, formatDiagnostic } from './diagnostics.js';

const err = (over: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  code: 'E_TYPE',
  message: "argument type 'hwaddr' is not allowed",
  location: { file: 'hw/x/trace-events', line: 7, column: 12 },
  ...over,
});

describe('formatDiagnostic', () => {
  it('renders file:line:col: severity: message', () => {
    expect(formatDiagnostic(err())).toBe("hw/x/trace-events:7:12: error: argument type 'hwaddr' is not allowed");
    expect(formatDiagnostic(err({ severity: 'warning', code: 'W_IGNORED_TEXT', message: 'ignored' }))).toBe('hw/x/trace-events:7:12: warning: ignored');
  });

  it('renders a location without a line as file: severity: message', () => {
    expect(formatDiagnostic(err({ location: { file: 'root' }, message: 'x' }))).toBe('root: error: x');
  });

  it('puts the include chain first, GCC style: commas between, a colon last, "from" aligned under "from"', () => {
    const d = err({ includeChain: [{ file: 'root', line: 3, column: 1 }, { file: 'mid', line: 2, column: 1 }] });
    const out = formatDiagnostic(d).split('\n');
    expect(out).toEqual(['In file included from root:3:1,', '                 from mid:2:1:', "hw/x/trace-events:7:12: error: argument type 'hwaddr' is not allowed"]);
    expect(out[1]!.indexOf('from')).toBe(out[0]!.indexOf('from'));
  });

  it('ends a one-include chain with a colon', () => {
    expect(formatDiagnostic(err({ includeChain: [{ file: 'root', line: 3, column: 1 }] })).split('\n')[0]).toBe('In file included from root:3:1:');
  });
});

describe('catalogError', () => {
  it('is undefined without errors', () => {
    expect(catalogError([err({ severity: 'warning', code: 'W_IGNORED_TEXT' })])).toBeUndefined();
  });

  it('carries the first error’s code, its rendered text and a count, and every diagnostic', () => {
    const warning = err({ severity: 'warning', code: 'W_IGNORED_TEXT', message: 'w' });
    const all = [warning, err(), err({ code: 'E_PARSE' })];
    const e = catalogError(all)!;
    expect(isTraceError(e, 'E_TYPE')).toBe(true);
    expect(e.message).toBe("hw/x/trace-events:7:12: argument type 'hwaddr' is not allowed (and 1 more error)");
    expect(diagnosticsOf(e)).toBe(all);
    expect(diagnosticsOf(new Error('x'))).toBeUndefined();
  });
});
