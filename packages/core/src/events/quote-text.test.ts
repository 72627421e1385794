import { describe, expect, it } from 'vitest';
import { parseTraceEvents } from './parse-trace-events.js';
import { escapeText, quoteText } from './quote-text.js';

// Raw control characters a message must never carry: C0 controls (CR, LF, ESC...), DEL, C1 controls (CSI is 0x9b).
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('quoteText', () => {
  it('leaves printable text as it is, in single quotes', () => {
    expect(quoteText('unsigned long')).toBe("'unsigned long'");
    expect(quoteText('café')).toBe("'café'");
  });

  it('escapes line breaks, tabs, terminal escapes, C1 controls, quotes and backslashes', () => {
    expect(quoteText('a\rb')).toBe("'a\\rb'");
    expect(quoteText('x\ny\tz')).toBe("'x\\ny\\tz'");
    expect(quoteText('\x1b[31mred')).toBe("'\\x1b[31mred'");
    expect(quoteText('\x00\x7f\x9b')).toBe("'\\x00\\x7f\\x9b'");
    expect(quoteText("it's a\\b")).toBe("'it\\'s a\\\\b'");
    expect(quoteText('p\u2028q')).toBe("'p\\u2028q'");
    expect(escapeText('\x1b')).toBe('\\x1b');
  });

  it('with `ascii`, escapes every character outside printable ASCII, as bytes up to U+00FF and UTF-16 units above', () => {
    expect(quoteText('plain_name', { ascii: true })).toBe("'plain_name'");
    expect(quoteText('caf\u00e9', { ascii: true })).toBe("'caf\\xe9'");
    expect(quoteText('\u20ac\x7f\x1b', { ascii: true })).toBe("'\\u20ac\\x7f\\x1b'");
    expect(quoteText("a'b\\", { ascii: true })).toBe("'a\\'b\\\\'");
    expect(quoteText('caf\u00e9')).toBe("'caf\u00e9'"); // the default keeps printable Unicode
  });
});

describe('catalog diagnostics quote line text safely (RELIABILITY.md, F2)', () => {
  const lines = [
    'ev(u\rint16_t x) "%d"', // a CR inside a type
    'ev(\x1b[31mint x) "%d"', // ESC inside a type
    'ev(int x\x1b, int y) "%d %d"', // ESC inside an argument name
    'ev(int\x9b) "%d"', // CSI (C1) in an argument with no name
    'bogus\x1b ev(int x) "%d"', // ESC in a property
    'ev(int x) "%d" \x1b', // ESC between literals of the format
    'ev(int x) "%d\\\x1b"', // ESC after a backslash in a literal
    'include "t" as \x1bname', // ESC in an include's source name
    'e\x1bv(int x) "%d"', // ESC before the argument list
  ];
  for (const line of lines) {
    it(`reports ${JSON.stringify(line)} with the control character escaped`, () => {
      const { diagnostics } = parseTraceEvents(`${line}\n`, 'te');
      expect(diagnostics.length).toBeGreaterThan(0);
      for (const d of diagnostics) {
        expect(d.message).not.toMatch(RAW_CONTROL);
        expect(d.message).toMatch(/\\(r|x1b|x9b)/);
      }
    });
  }
});
