// A file read front to back through one reused buffer: constant memory for a trace of any size.
import { open, type FileHandle } from 'node:fs/promises';

/** Smallest buffer a reader accepts: the largest record (8 + 5,184 bytes) or mapping (20 + 4,096) must fit. */
export const MIN_CHUNK_BYTES: number = 16 * 1024;
/** Default read buffer. */
export const DEFAULT_CHUNK_BYTES: number = 1024 * 1024;

/**
 * Holds a window `[pos, end)` of the file in `bytes`; `base` is the file offset of `bytes[0]`. `fill` keeps the
 * unconsumed tail and reads more after it. Not for concurrent use.
 */
export class ChunkReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = 0;
  end = 0;
  base = 0;
  /** True once a read returned no bytes. */
  eof = false;
  readonly #handle: FileHandle;

  private constructor(handle: FileHandle, chunkBytes: number, startOffset: number) {
    this.#handle = handle;
    this.bytes = new Uint8Array(chunkBytes);
    this.view = new DataView(this.bytes.buffer);
    this.base = startOffset;
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
   * Moves the unconsumed bytes to the front and reads until the buffer is full or the file ends. Resolves false
   * when nothing new was read (end of file).
   */
  async fill(): Promise<boolean> {
    if (this.eof) return false;
    const keep = this.end - this.pos;
    if (this.pos > 0) {
      this.bytes.copyWithin(0, this.pos, this.end);
      this.base += this.pos;
      this.pos = 0;
      this.end = keep;
    }
    let got = 0;
    while (this.end < this.bytes.length) {
      const { bytesRead } = await this.#handle.read(this.bytes, this.end, this.bytes.length - this.end, this.base + this.end);
      if (bytesRead === 0) {
        this.eof = true;
        break;
      }
      this.end += bytesRead;
      got += bytesRead;
    }
    return got > 0;
  }

  /** Closes the file. Idempotent. */
  async close(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
  }
}
