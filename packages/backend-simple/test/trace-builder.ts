// Builds simpletrace files byte by byte from spec §5.2/§5.3, independently of the code under test.

/** Little-endian byte sink with the field writers a trace file needs. */
export class TraceBuilder {
  readonly #parts: number[] = [];
  /** Byte offsets of the records appended so far (their first byte). */
  readonly starts: number[] = [];

  get length(): number {
    return this.#parts.length;
  }

  u32(v: number): this {
    for (let i = 0; i < 4; i++) this.#parts.push((v >>> (8 * i)) & 0xff);
    return this;
  }

  u64(v: bigint | number): this {
    let b = BigInt.asUintN(64, BigInt(v));
    for (let i = 0; i < 8; i++) {
      this.#parts.push(Number(b & 0xffn));
      b >>= 8n;
    }
    return this;
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.#parts.push(bytes[i]);
    return this;
  }

  /** The 24-byte header: id ~0, magic, version. */
  header(version: number | bigint = 4, magic: bigint = 0xf2b177cb0aa429b4n, id: bigint = 0xffffffffffffffffn): this {
    return this.u64(id).u64(magic).u64(version);
  }

  /** A v4 mapping record: type 0, id, name length, name. */
  mapping(id: bigint | number, name: string): this {
    this.starts.push(this.length);
    return this.u64(0).u64(id).u32(name.length).raw([...name].map((c) => c.charCodeAt(0)));
  }

  /** A v4 event record: type 1, id, timestamp, length 24 + payload, pid, payload. */
  event(id: bigint | number, ts: bigint | number, pid: number, payload: ArrayLike<number> = []): this {
    this.starts.push(this.length);
    return this.u64(1).u64(id).u64(ts).u32(24 + payload.length).u32(pid).raw(payload);
  }

  /** A v2/v3 event record: no type word. */
  eventV3(id: bigint | number, ts: bigint | number, pid: number, payload: ArrayLike<number> = []): this {
    this.starts.push(this.length);
    return this.u64(id).u64(ts).u32(24 + payload.length).u32(pid).raw(payload);
  }

  /** A v4 dropped record. */
  dropped(ts: bigint | number, pid: number, count: bigint | number): this {
    return this.event(0xfffffffffffffffen, ts, pid, new PayloadBuilder().word(count).bytes());
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }
}

/** A payload: u64 words and (u32 length + bytes) strings. */
export class PayloadBuilder {
  readonly #b = new TraceBuilder();

  word(v: bigint | number): this {
    this.#b.u64(v);
    return this;
  }

  str(s: string | Uint8Array): this {
    const bytes = typeof s === 'string' ? new TextEncoder().encode(s) : s;
    this.#b.u32(bytes.length).raw(bytes);
    return this;
  }

  bytes(): Uint8Array {
    return this.#b.bytes();
  }
}
