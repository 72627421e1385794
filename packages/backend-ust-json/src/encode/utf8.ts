// String arguments: bytes → JSON string content or MessagePack str, with WHATWG UTF-8 replacement of invalid bytes.

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

// Per ASCII byte: 0 copy as is, 1 `\uXXXX`, otherwise the letter after a backslash (JSON's short escapes).
const ESCAPE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) ESCAPE[c] = 1;
ESCAPE[0x08] = 98; // \b
ESCAPE[0x09] = 116; // \t
ESCAPE[0x0a] = 110; // \n
ESCAPE[0x0c] = 102; // \f
ESCAPE[0x0d] = 114; // \r
ESCAPE[0x22] = 0x22; // \"
ESCAPE[0x5c] = 0x5c; // \\

/**
 * Length of the UTF-8 sequence starting at `i` when it is well formed (1 to 4), or minus the number of bytes that
 * one U+FFFD replaces when it is not: the WHATWG decoder's "maximal subpart" rule, which TextDecoder follows.
 */
export function utf8Sequence(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  let need: number;
  let lower = 0x80;
  let upper = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c === 0xe0) lower = 0xa0;
    else if (c === 0xed) upper = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c === 0xf0) lower = 0x90;
    else if (c === 0xf4) upper = 0x8f;
  } else return -1;
  let j = i + 1;
  for (let k = 0; k < need; k++, j++) {
    if (j >= end) return -(j - i);
    const d = b[j];
    if (d < lower || d > upper) return -(j - i);
    lower = 0x80;
    upper = 0xbf;
  }
  return j - i;
}

/**
 * Bytes of `b[start, end)` once every ill-formed subsequence is replaced by U+FFFD (3 bytes), negated when at least
 * one replacement happens. The common all-valid case returns `end - start`.
 */
export function utf8ReplacedLength(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  let bad = false;
  for (let i = start; i < end; ) {
    if (b[i] < 0x80) {
      n++;
      i++;
      continue;
    }
    const s = utf8Sequence(b, i, end);
    if (s > 0) {
      n += s;
      i += s;
    } else {
      n += 3;
      i -= s;
      bad = true;
    }
  }
  return bad ? -n : n;
}

/** Copies `b[start, end)` to `out` at `pos` with each ill-formed subsequence replaced by U+FFFD; returns the end. */
export function putUtf8Replaced(out: Uint8Array, pos: number, b: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; ) {
    const s = b[i] < 0x80 ? 1 : utf8Sequence(b, i, end);
    if (s > 0) {
      for (let k = 0; k < s; k++) out[pos++] = b[i + k];
      i += s;
    } else {
      out[pos] = 0xef;
      out[pos + 1] = 0xbf;
      out[pos + 2] = 0xbd;
      pos += 3;
      i -= s;
    }
  }
  return pos;
}

/** Set by `putJsonStringBody` to whether its last call replaced ill-formed UTF-8 (a flag, to allocate nothing). */
export const jsonStringState: { replaced: boolean } = { replaced: false };

/**
 * Writes `b[start, end)` as the inside of a JSON string (no quotes): UTF-8 copied, `"` `\` and control characters
 * escaped as JSON.stringify escapes them, ill-formed UTF-8 replaced by U+FFFD (then `jsonStringState.replaced` is
 * true). Returns the end. Needs up to 6 output bytes per input byte.
 */
export function putJsonStringBody(out: Uint8Array, pos: number, b: Uint8Array, start: number, end: number): number {
  let replaced = false;
  for (let i = start; i < end; ) {
    const c = b[i];
    if (c < 0x80) {
      const e = ESCAPE[c];
      if (e === 0) out[pos++] = c;
      else if (e === 1) {
        out[pos] = 0x5c;
        out[pos + 1] = 117; // u
        out[pos + 2] = 48;
        out[pos + 3] = 48;
        out[pos + 4] = HEX[c >>> 4];
        out[pos + 5] = HEX[c & 15];
        pos += 6;
      } else {
        out[pos] = 0x5c;
        out[pos + 1] = e;
        pos += 2;
      }
      i++;
      continue;
    }
    const s = utf8Sequence(b, i, end);
    if (s > 0) {
      for (let k = 0; k < s; k++) out[pos++] = b[i + k];
      i += s;
    } else {
      out[pos] = 0xef;
      out[pos + 1] = 0xbf;
      out[pos + 2] = 0xbd;
      pos += 3;
      i -= s;
      replaced = true;
    }
  }
  jsonStringState.replaced = replaced;
  return pos;
}
