// Text quoted in one-line messages: a hostile catalog or trace file must not put line breaks or terminal escapes
// into the errors Unitrace prints (RELIABILITY.md, F1 and F2).

const HEX = '0123456789abcdef';

/** How `quoteText` treats characters outside ASCII. */
export interface QuoteOptions {
  /**
   * Escape every character outside printable ASCII (`\xNN` up to U+00FF, `\uNNNN` above): for text decoded from the
   * bytes of a binary file, where the bytes are what the reader needs to see. Default false: printable Unicode stays.
   */
  readonly ascii?: boolean;
}

/**
 * `text` in single quotes, safe to print on one line: printable characters stay as they are; `\` and `'` get a
 * backslash; tab, newline and carriage return become `\t` `\n` `\r`; any other C0 or C1 control character and DEL
 * become `\xNN`; U+2028 and U+2029 (line breaks to some readers) become `\uNNNN`. Only for messages: must never be
 * used to build what a parser or reader keeps (names, types, paths stay as their source spells them).
 */
export function quoteText(text: string, options?: QuoteOptions): string {
  return `'${escapeText(text, options)}'`;
}

/** `text` escaped as `quoteText` does, without the quotes: for a message that quotes text it adds to. */
export function escapeText(text: string, options?: QuoteOptions): string {
  const escape = options?.ascii === true ? outsideAscii : unsafe;
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) plain = !escape(text.charCodeAt(i));
  if (plain) return text;
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!escape(c)) s += text[i];
    else if (c === 0x27 || c === 0x5c) s += '\\' + text[i];
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c < 0x100) s += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else s += '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
  return s;
}

function unsafe(c: number): boolean {
  return c < 0x20 || c === 0x27 || c === 0x5c || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029;
}

function outsideAscii(c: number): boolean {
  return c < 0x20 || c >= 0x7f || c === 0x27 || c === 0x5c;
}
