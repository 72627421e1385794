// MessagePack primitives written straight into a byte buffer (big-endian, smallest form, as msgpackr writes them).

function put32(out: Uint8Array, pos: number, v: number): void {
  out[pos] = v >>> 24;
  out[pos + 1] = (v >>> 16) & 0xff;
  out[pos + 2] = (v >>> 8) & 0xff;
  out[pos + 3] = v & 0xff;
}

/** Writes the unsigned integer `hi * 2^32 + lo` in its smallest MessagePack form; returns the end. */
export function putMpUint(out: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi === 0) {
    if (lo < 0x80) {
      out[pos] = lo;
      return pos + 1;
    }
    if (lo < 0x100) {
      out[pos] = 0xcc;
      out[pos + 1] = lo;
      return pos + 2;
    }
    if (lo < 0x10000) {
      out[pos] = 0xcd;
      out[pos + 1] = lo >>> 8;
      out[pos + 2] = lo & 0xff;
      return pos + 3;
    }
    out[pos] = 0xce;
    put32(out, pos + 1, lo);
    return pos + 5;
  }
  out[pos] = 0xcf;
  put32(out, pos + 1, hi);
  put32(out, pos + 5, lo);
  return pos + 9;
}

/** Writes a 32-bit signed integer in its smallest MessagePack form; returns the end. */
export function putMpInt32(out: Uint8Array, pos: number, v: number): number {
  if (v >= 0) return putMpUint(out, pos, 0, v);
  if (v >= -32) {
    out[pos] = v & 0xff;
    return pos + 1;
  }
  if (v >= -128) {
    out[pos] = 0xd0;
    out[pos + 1] = v & 0xff;
    return pos + 2;
  }
  if (v >= -32768) {
    out[pos] = 0xd1;
    out[pos + 1] = (v >> 8) & 0xff;
    out[pos + 2] = v & 0xff;
    return pos + 3;
  }
  out[pos] = 0xd2;
  put32(out, pos + 1, v);
  return pos + 5;
}

/** Writes the two's-complement i64 `hi:lo` in its smallest MessagePack form (int64 only when it needs 64 bits). */
export function putMpInt64(out: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi < 0x8000_0000) return putMpUint(out, pos, hi, lo);
  if (hi === 0xffff_ffff && lo >= 0x8000_0000) return putMpInt32(out, pos, lo | 0);
  out[pos] = 0xd3;
  put32(out, pos + 1, hi);
  put32(out, pos + 5, lo);
  return pos + 9;
}

/** Writes a str header for `n` UTF-8 bytes; returns the end. */
export function putMpStrHeader(out: Uint8Array, pos: number, n: number): number {
  if (n < 32) {
    out[pos] = 0xa0 | n;
    return pos + 1;
  }
  return putSizedHeader(out, pos, n, 0xd9);
}

/** Writes a bin header for `n` bytes; returns the end. */
export function putMpBinHeader(out: Uint8Array, pos: number, n: number): number {
  return putSizedHeader(out, pos, n, 0xc4);
}

// str 8/16/32 and bin 8/16/32: three consecutive type bytes (`type8`, +1, +2) for 8-, 16- and 32-bit big-endian lengths.
function putSizedHeader(out: Uint8Array, pos: number, n: number, type8: number): number {
  if (n < 0x100) {
    out[pos] = type8;
    out[pos + 1] = n;
    return pos + 2;
  }
  if (n < 0x10000) {
    out[pos] = type8 + 1;
    out[pos + 1] = n >>> 8;
    out[pos + 2] = n & 0xff;
    return pos + 3;
  }
  out[pos] = type8 + 2;
  put32(out, pos + 1, n);
  return pos + 5;
}

/** Writes a map header for `n` entries; returns the end. */
export function putMpMapHeader(out: Uint8Array, pos: number, n: number): number {
  if (n < 16) {
    out[pos] = 0x80 | n;
    return pos + 1;
  }
  if (n < 0x10000) {
    out[pos] = 0xde;
    out[pos + 1] = n >>> 8;
    out[pos + 2] = n & 0xff;
    return pos + 3;
  }
  out[pos] = 0xdf;
  put32(out, pos + 1, n);
  return pos + 5;
}

const utf8 = new TextEncoder();

/** A string pre-encoded as a MessagePack str (for keys and constant values, built once on describe). */
export function mpStr(text: string): Uint8Array {
  const body = utf8.encode(text);
  const out = new Uint8Array(body.length + 5);
  const pos = putMpStrHeader(out, 0, body.length);
  out.set(body, pos);
  return out.subarray(0, pos + body.length);
}

/** Concatenates pre-encoded pieces into one segment. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
