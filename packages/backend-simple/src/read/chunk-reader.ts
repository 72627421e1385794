// A file read front to back through two reused buffers: constant memory for a trace of any size, and the next
// read already under way while the current buffer is decoded.
import { open, type FileHandle } from 'node:fs/promises';

/** Smallest buffer a reader accepts: the largest record (8 + 5,184 bytes) or mapping (20 + 4,096) must fit. */
export const MIN_CHUNK_BYTES: number = 16 * 1024;
/** Default read buffer. */
export const DEFAULT_CHUNK_BYTES: number = 1024 * 1024;
/**
 * Room in front of each buffer's read area for the bytes the previous buffer left unconsumed (at most one
 * incomplete record, which the scanner bounds well below this).
 */
const CARRY_BYTES = MIN_CHUNK_BYTES;

/**
 * Holds a window `[pos, end)` of the file in `bytes`; `base` is the file offset of `bytes[0]`. Reads go into the
 * spare buffer while the current one is decoded (reading a 1 MiB chunk through the thread pool left the decoding
 * thread idle for a tenth of a print run); `fill` waits for that read, carries the unconsumed tail (at most
 * `MIN_CHUNK_BYTES`) over in front of it, swaps the buffers and starts the next read. `bytes` and `view` change at
 * every `fill`: read them after it, never keep them across it. Not for concurrent use.
 */
export class ChunkReader {
  bytes: Uint8Array;
  view: DataView;
  pos: number = CARRY_BYTES;
  end: number = CARRY_BYTES;
  base: number;
  /** True once a read returned no bytes. */
  eof = false;
  readonly #handle: FileHandle;
  #spare: Uint8Array;
  #spareView: DataView;
  /** The read under way into `#spare` at CARRY_BYTES: resolves to the bytes read. */
  #pending: Promise<number> | undefined;
  readonly #chunkBytes: number;

  private constructor(handle: FileHandle, chunkBytes: number, startOffset: number) {
    this.#handle = handle;
    this.#chunkBytes = chunkBytes;
    this.bytes = new Uint8Array(CARRY_BYTES + chunkBytes);
    this.view = new DataView(this.bytes.buffer);
    this.#spare = new Uint8Array(CARRY_BYTES + chunkBytes);
    this.#spareView = new DataView(this.#spare.buffer);
    this.base = startOffset - CARRY_BYTES;
  }

  /** Opens `path` for reading from `startOffset`. Rejects with the system error. */
  static async open(path: string, chunkBytes: number, startOffset = 0): Promise<ChunkReader> {
    return new ChunkReader(await open(path, 'r'), chunkBytes, startOffset);
  }

  /** Bytes available in the window. */
  get available(): number {
    return this.end - this.pos;
  }

  /** File offset of `bytes[i]`. */
  offsetOf(i: number): number {
    return this.base + i;
  }

  /**
   * Makes the next part of the file available after the unconsumed bytes (at most `MIN_CHUNK_BYTES` of them may be
   * left). Resolves false when nothing new was read (end of file); rejects with the system error of a failed read.
   */
  async fill(): Promise<boolean> {
    if (this.eof) return false;
    const keep = this.end - this.pos;
    if (keep > CARRY_BYTES) throw new RangeError(`ChunkReader.fill: ${keep} unconsumed bytes, more than ${CARRY_BYTES}`);
    const got = await (this.#pending ??= this.#read(this.base + this.end));
    this.#pending = undefined;
    if (got === 0) {
      this.eof = true;
      return false;
    }
    const next = this.#spare;
    const nextView = this.#spareView;
    next.set(this.bytes.subarray(this.pos, this.end), CARRY_BYTES - keep);
    this.#spare = this.bytes;
    this.#spareView = this.view;
    this.bytes = next;
    this.view = nextView;
    this.base += this.end - CARRY_BYTES;
    this.pos = CARRY_BYTES - keep;
    this.end = CARRY_BYTES + got;
    this.#pending = this.#read(this.base + this.end);
    return true;
  }

  /** Starts reading the chunk at file offset `at` into the spare buffer. */
  #read(at: number): Promise<number> {
    const p = this.#handle.read(this.#spare, CARRY_BYTES, this.#chunkBytes, at).then((r) => r.bytesRead);
    // A read nobody waits for any more (the iteration stopped) must not become an unhandled rejection.
    p.catch(() => undefined);
    return p;
  }

  /** Waits for a read under way, then closes the file. Idempotent. */
  async close(): Promise<void> {
    await this.#pending?.catch(() => undefined);
    this.#pending = undefined;
    await this.#handle.close().catch(() => undefined);
  }
}
