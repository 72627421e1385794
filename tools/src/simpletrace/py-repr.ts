// Python's repr() of a bytes object, exactly as CPython writes it (simpletrace.py prints string arguments so).

const HEX = '0123456789abcdef';

/**
 * `repr(bytes(b[start:end]))` as CPython prints it: `b'…'`, or `b"…"` when the bytes hold a `'` and no `"`.
 * Backslash and the chosen quote are escaped with `\`, tab, newline and carriage return as `\t` `\n` `\r`, any
 * other byte below 0x20 or from 0x7f up as `\xNN` (lower-case hex). The result is ASCII. Must not be given a
 * range outside `b`.
 */
export function pyBytesRepr(b: Uint8Array, start = 0, end: number = b.length): string {
  let squote = false;
  let dquote = false;
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x27) squote = true;
    else if (c === 0x22) dquote = true;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) plain = false;
  }
  const quote = squote && !dquote ? 0x22 : 0x27;
  if (plain && !(squote && dquote)) {
    // The common case: nothing to escape, so the bytes are the text.
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
    return quote === 0x27 ? `b'${s}'` : `b"${s}"`;
  }
  let s = quote === 0x27 ? "b'" : 'b"';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === quote || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c < 0x20 || c >= 0x7f) s += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else s += String.fromCharCode(c);
  }
  return s + String.fromCharCode(quote);
}
