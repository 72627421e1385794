// QMP output as QEMU writes it: ", " and ": " separators, ASCII only, upper-case \u escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toQmpJson } from './json-value.js';

describe('toQmpJson', () => {
  it('writes the greeting shape of the QMP spec byte for byte', () => {
    const greeting = { QMP: { version: { qemu: { micro: 0, minor: 2, major: 10 }, package: '' }, capabilities: ['oob'] } };
    expect(toQmpJson(greeting)).toBe('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 10}, "package": ""}, "capabilities": ["oob"]}}');
  });

  it('escapes everything outside printable ASCII, pairs beyond the BMP, and leaves members that are undefined out', () => {
    expect(toQmpJson({ a: 'é\n\u0001\u007f😀"\\/', b: undefined, c: [] })).toBe('{"a": "\\u00E9\\n\\u0001\\u007F\\uD83D\\uDE00\\"\\\\/", "c": []}');
  });

  it('writes bigints exactly and non-finite numbers as null', () => {
    expect(toQmpJson([18446744073709551615n, -1n, 1.5, Number.NaN, Number.POSITIVE_INFINITY])).toBe('[18446744073709551615, -1, 1.5, null, null]');
  });

  it('writes one ASCII line that JSON.parse reads back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const text = toQmpJson(input as never);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(input)));
      }),
    );
  });
});
