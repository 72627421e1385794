// Catalog text quoted in diagnostics: a hostile catalog must not put line breaks or terminal escapes into the
// one-line messages `unitrace lint` prints (RELIABILITY.md, F2).

const HEX = '0123456789abcdef';

/**
 * `text` in single quotes, safe to print on one line: printable characters stay as they are; `\` and `'` get a
 * backslash; tab, newline and carriage return become `\t` `\n` `\r`; any other C0 or C1 control character and DEL
 * become `\xNN`; U+2028 and U+2029 (line breaks to some readers) become `\uNNNN`. Only for messages: must never be
 * used to build what the parser keeps (names, types, paths stay as the catalog spells them).
 */
export function quoteText(text: string): string {
  return `'${escapeText(text)}'`;
}

/** `text` escaped as `quoteText` does, without the quotes: for a message that quotes text it adds to. */
export function escapeText(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) plain = !needsEscape(text.charCodeAt(i));
  if (plain) return text;
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!needsEscape(c)) s += text[i];
    else if (c === 0x27 || c === 0x5c) s += '\\' + text[i];
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c < 0x100) s += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else s += '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
  return s;
}

function needsEscape(c: number): boolean {
  return c < 0x20 || c === 0x27 || c === 0x5c || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029;
}
