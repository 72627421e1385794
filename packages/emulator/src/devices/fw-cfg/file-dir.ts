// The fw_cfg file directory (key 0x19): big-endian, sorted by name in strcmp order, fixed length (spec §9.4).
import { TraceError } from '@unitrace/core';
import { FW_CFG_FILE_ENTRY_SIZE, FW_CFG_FILE_FIRST, FW_CFG_MAX_FILE_PATH } from './keys.js';

const encoder = new TextEncoder();

/**
 * A file name as the directory stores it: its UTF-8 bytes, at most 55, without NUL. Throws TraceError E_USAGE
 * for an empty name, a NUL inside it, or more than 55 bytes; must not truncate silently.
 */
export function encodeFileName(name: string): Uint8Array {
  const bytes = encoder.encode(name);
  if (bytes.length === 0) throw new TraceError('E_USAGE', 'fw_cfg file name is empty');
  if (bytes.includes(0)) throw new TraceError('E_USAGE', `fw_cfg file name contains a NUL: ${JSON.stringify(name)}`);
  if (bytes.length > FW_CFG_MAX_FILE_PATH - 1) {
    throw new TraceError('E_USAGE', `name too long (max. ${FW_CFG_MAX_FILE_PATH - 1} char): ${name}`);
  }
  return bytes;
}

/** C `strcmp` on NUL-free byte strings: unsigned bytes, a prefix sorts first. Must not use locale collation. */
export function compareFileNames(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The directory item: its bytes are the item data the guest reads (`count` then `slots` entries of 64 bytes), kept
 * current on every insert and resize. Knows nothing of item data or keys' owners; the item store moves those.
 */
export class FileDirectory {
  /** The item bytes, 4 + 64 × slots long; the guest reads them in place. Must not be replaced. */
  readonly bytes: Uint8Array;
  /** Number of entries the directory can hold. */
  readonly slots: number;
  readonly #view: DataView;
  readonly #names: Uint8Array[] = [];
  readonly #text: string[] = [];

  constructor(slots: number) {
    this.slots = slots;
    this.bytes = new Uint8Array(4 + FW_CFG_FILE_ENTRY_SIZE * slots);
    this.#view = new DataView(this.bytes.buffer);
  }

  /** Number of used entries. */
  get count(): number {
    return this.#names.length;
  }

  /** Index of the entry with this name, or -1. */
  indexOf(name: Uint8Array): number {
    for (let i = 0; i < this.#names.length; i++) if (compareFileNames(this.#names[i], name) === 0) return i;
    return -1;
  }

  /** The name of entry `index` as given when it was inserted. */
  nameAt(index: number): string {
    return this.#text[index];
  }

  /**
   * Inserts a name in sorted position, shifting later entries up one slot and renumbering their `select` keys;
   * returns the new entry's index. Throws (changing nothing) on a duplicate name (E_DUPLICATE) or a full
   * directory (E_STATE).
   */
  insert(name: string, encoded: Uint8Array, size: number): number {
    if (this.indexOf(encoded) >= 0) throw new TraceError('E_DUPLICATE', `duplicate fw_cfg file name: ${name}`);
    const count = this.#names.length;
    if (count >= this.slots) {
      throw new TraceError('E_STATE', `fw_cfg file directory is full (${this.slots} slots): cannot add ${name}`);
    }
    // QEMU walks back from the end while the new name sorts before its neighbour, so equal-prefix order is strcmp's.
    let index = count;
    while (index > 0 && compareFileNames(encoded, this.#names[index - 1]) < 0) index--;
    const start = entryOffset(index);
    this.bytes.copyWithin(start + FW_CFG_FILE_ENTRY_SIZE, start, entryOffset(count));
    for (let i = index + 1; i <= count; i++) this.#view.setUint16(entryOffset(i) + 4, FW_CFG_FILE_FIRST + i);
    this.bytes.fill(0, start, start + FW_CFG_FILE_ENTRY_SIZE);
    this.#view.setUint32(start, size);
    this.#view.setUint16(start + 4, FW_CFG_FILE_FIRST + index);
    this.bytes.set(encoded, start + 8);
    this.#names.splice(index, 0, encoded);
    this.#text.splice(index, 0, name);
    this.#view.setUint32(0, count + 1);
    return index;
  }

  /** Rewrites the `size` field of entry `index` (fw_cfg_modify_file). */
  setSize(index: number, size: number): void {
    this.#view.setUint32(entryOffset(index), size);
  }
}

function entryOffset(index: number): number {
  return 4 + FW_CFG_FILE_ENTRY_SIZE * index;
}
