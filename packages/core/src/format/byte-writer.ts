// A growable byte buffer that text sinks render many lines into before writing one chunk.

/** Default starting capacity: one 64 KiB chunk plus room for the line that crosses it. */
export const DEFAULT_BYTE_WRITER_CAPACITY: number = 64 * 1024 + 8 * 1024;

/**
 * Bytes appended at the end of one buffer that doubles when full. Sinks render lines into it and write
 * `subarray()` out once `length` passes their chunk size, then `reset()`. It never shrinks, never copies on read,
 * and must not be shared between writers: `subarray()` views are invalidated by the next push.
 */
export class ByteWriter {
  /** The backing store; bytes `[0, length)` are the content. Replaced (not resized) when it grows. */
  bytes: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  constructor(initialCapacity: number = DEFAULT_BYTE_WRITER_CAPACITY) {
    this.bytes = new Uint8Array(Math.max(16, Math.floor(initialCapacity)));
  }

  /** Makes room for `n` more bytes, growing the store when needed. Call before writing through `bytes` directly. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Appends one byte (taken modulo 256). */
  pushByte(b: number): void {
    if (this.length === this.bytes.length) this.ensure(1);
    this.bytes[this.length++] = b;
  }

  /** Appends `count` copies of byte `b`; used for padding. */
  pushRepeat(b: number, count: number): void {
    if (count <= 0) return;
    this.ensure(count);
    const end = this.length + count;
    this.bytes.fill(b, this.length, end);
    this.length = end;
  }

  /**
   * Appends each UTF-16 unit of `text` as one byte (`code & 0xff`). For ASCII and Latin-1 text only: it must not
   * be used for arbitrary JS strings, whose characters above 0xff would be cut.
   */
  pushAscii(text: string): void {
    const n = text.length;
    this.ensure(n);
    const bytes = this.bytes;
    let o = this.length;
    for (let i = 0; i < n; i++) bytes[o++] = text.charCodeAt(i);
    this.length = o;
  }

  /** Appends `src[start, end)`. Short runs are copied by hand: `set` costs more than a loop for them. */
  pushBytes(src: Uint8Array, start = 0, end: number = src.length): void {
    const n = end - start;
    if (n <= 0) return;
    this.ensure(n);
    const bytes = this.bytes;
    let o = this.length;
    if (n < 32) {
      for (let i = start; i < end; i++) bytes[o++] = src[i];
    } else {
      // A whole-array `set` allocates nothing; `subarray` allocates a view, so it is kept for partial copies.
      bytes.set(start === 0 && end === src.length ? src : src.subarray(start, end), o);
      o += n;
    }
    this.length = o;
  }

  /** A view of the content `[start, end)`; valid until the next push or reset. Never copies. */
  subarray(start = 0, end: number = this.length): Uint8Array {
    return this.bytes.subarray(start, Math.min(end, this.length));
  }

  /** Forgets the content, keeping the store. */
  reset(): void {
    this.length = 0;
  }

  /** Drops the first `n` bytes and moves the rest to the front: for sinks that wrote out one chunk of a longer run. */
  consume(n: number): void {
    if (n >= this.length) {
      this.length = 0;
      return;
    }
    if (n <= 0) return;
    this.bytes.copyWithin(0, n, this.length);
    this.length -= n;
  }
}

/** Creates a ByteWriter with the given starting capacity (it grows as needed). */
export function createByteWriter(initialCapacity: number = DEFAULT_BYTE_WRITER_CAPACITY): ByteWriter {
  return new ByteWriter(initialCapacity);
}
