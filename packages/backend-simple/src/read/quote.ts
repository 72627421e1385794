// Event names come from the file's mapping records: a hostile file must not put line breaks or terminal escapes
// into the one-line errors that quote them (RELIABILITY.md, F1).

const HEX = '0123456789abcdef';

/**
 * `name` in single quotes, safe to print on one line: printable ASCII stays as it is; `\` and `'` get a backslash;
 * tab, newline and carriage return become `\t` `\n` `\r`; any other control character and U+007F–U+00FF become
 * `\xNN`; anything above, `\uNNNN` (one per UTF-16 unit, as JSON writes them). Only for messages: the name a record
 * is matched by stays as the file spells it.
 */
export function quoteName(name: string): string {
  let plain = true;
  for (let i = 0; i < name.length && plain; i++) {
    const c = name.charCodeAt(i);
    plain = c >= 0x20 && c < 0x7f && c !== 0x27 && c !== 0x5c;
  }
  if (plain) return `'${name}'`;
  let s = "'";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x27 || c === 0x5c) s += '\\' + name[i];
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c >= 0x20 && c < 0x7f) s += name[i];
    else if (c < 0x100) s += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else s += '\\u' + HEX[c >> 12] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
  }
  return s + "'";
}
