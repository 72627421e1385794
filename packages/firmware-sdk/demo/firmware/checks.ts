// What the firmware computes on its own data: a CRC-32 of the kernel it loaded and a RAM pattern test.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib) of `length` bytes of `bytes` from `start`. */
export function crc32(bytes: Uint8Array, start: number, length: number): number {
  let c = 0xffffffff;
  for (let i = start, end = start + length; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The value a pattern writes at `addr`: a fixed word, or (pattern 0) the address itself (catches address aliasing). */
export function patternWord(pattern: number, addr: number): number {
  return pattern === 0 ? addr >>> 0 : pattern >>> 0;
}

/**
 * Writes `pattern` over `length` bytes of RAM at `base` (32-bit words), reads every word back and returns how many
 * differ. Pattern 0 means "each word holds its own address".
 */
export function memtestPass(view: DataView, base: number, length: number, pattern: number): number {
  for (let a = base; a < base + length; a += 4) view.setUint32(a, patternWord(pattern, a), true);
  let errors = 0;
  for (let a = base; a < base + length; a += 4) if (view.getUint32(a, true) !== patternWord(pattern, a)) errors++;
  return errors;
}
