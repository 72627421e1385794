// The fw_cfg item store: two key tables (generic, arch-local), named files with their directory (spec §9.2–§9.4).
import { TraceError } from '@unitrace/core';
import { FileDirectory, encodeFileName } from './file-dir.js';
import {
  FW_CFG_ARCH_LOCAL,
  FW_CFG_ENTRY_MASK,
  FW_CFG_FILE_DIR,
  FW_CFG_FILE_FIRST,
  type FwCfgArchNames,
  fwCfgKeyName,
} from './keys.js';
import type { FwCfgTrace } from './trace.js';

/**
 * Called after a successful DMA write: the bytes at [offset, offset + length) of `data` are new guest bytes. `data`
 * is the item's own buffer: copy what you keep (the next write overwrites it) and validate it all, it is guest input.
 */
export type FwCfgWriteCallback = (offset: number, length: number, data: Uint8Array) => void;

/** How a named file behaves. */
export interface FwCfgFileOptions {
  /** The guest may DMA-write the item, in place, never past its length. Default false (like every user item). */
  readonly writable?: boolean;
  /** After each successful DMA write. Must not throw; runs inside the guest's VM exit, so keep it short. */
  readonly onWrite?: FwCfgWriteCallback;
  /** Each time the guest selects the item (selector register or DMA SELECT), before any byte is read. */
  readonly onSelect?: () => void;
}

/**
 * One item as the registers see it. `data` is the host buffer itself, kept without copying: the host may change its
 * bytes in place (in onSelect, say) but never its length.
 */
export interface FwCfgItem {
  /** The item bytes; an empty array reads like a key with no item. */
  readonly data: Uint8Array;
  /** DMA writes are allowed (whole-rest-of-item writes only). */
  readonly writable: boolean;
  /** Runs on every select of the key. */
  readonly onSelect: (() => void) | undefined;
  /** Runs after every successful DMA write. */
  readonly onWrite: FwCfgWriteCallback | undefined;
}

/** A named file as listed in the directory. */
export interface FwCfgFileInfo {
  /** The name as added. */
  readonly name: string;
  /** Its current selector key (0x20 + directory index). */
  readonly key: number;
  /** Bytes, as the directory's `size` field says. */
  readonly size: number;
  /** Whether the guest may DMA-write it. */
  readonly writable: boolean;
}

const encoder = new TextEncoder();

/**
 * The items of one fw_cfg device. Host-side configuration errors throw TraceError; nothing here is reachable by a
 * guest except `get`, which never throws.
 */
export class FwCfgItems {
  /** 0x20 + file slots: keys whose index is at or above it select FW_CFG_INVALID. */
  readonly maxEntry: number;
  readonly #slots: number;
  readonly #tables: [(FwCfgItem | undefined)[], (FwCfgItem | undefined)[]];
  #trace: FwCfgTrace | undefined;
  readonly #arch: FwCfgArchNames;
  #dir: FileDirectory | undefined;

  constructor(fileSlots: number, trace: FwCfgTrace | undefined, arch: FwCfgArchNames) {
    this.#slots = fileSlots;
    this.maxEntry = FW_CFG_FILE_FIRST + fileSlots;
    this.#tables = [new Array(this.maxEntry).fill(undefined), new Array(this.maxEntry).fill(undefined)];
    this.#trace = trace;
    this.#arch = arch;
  }

  /** Routes later add events to `trace` (the machine's tracepoints, known only at attach). */
  setTrace(trace: FwCfgTrace): void {
    this.#trace = trace;
  }

  /** The item of a selector value (bit 14 ignored), or undefined. Never throws, whatever the key. */
  get(key: number): FwCfgItem | undefined {
    const table = key & FW_CFG_ARCH_LOCAL ? this.#tables[1] : this.#tables[0];
    return table[key & FW_CFG_ENTRY_MASK];
  }

  /**
   * Adds a read-only item under a numeric key (QEMU fw_cfg_add_bytes). Throws E_USAGE for a key that is out of
   * range or belongs to the file range or the directory, E_DUPLICATE when the key already has an item.
   */
  addBytes(key: number, bytes: Uint8Array): void {
    this.#checkNumericKey(key);
    this.#trace?.fw_cfg_add_bytes(key, fwCfgKeyName(key, this.#arch), bytes.length);
    this.#put(key, bytes, undefined);
  }

  /** Adds a NUL-terminated UTF-8 string under a numeric key (QEMU fw_cfg_add_string keeps the NUL). */
  addString(key: number, value: string): void {
    this.#checkNumericKey(key);
    const text = encoder.encode(value);
    const bytes = new Uint8Array(text.length + 1);
    bytes.set(text);
    this.#trace?.fw_cfg_add_string(key, fwCfgKeyName(key, this.#arch), value);
    this.addBytes(key, bytes);
  }

  /** Adds a u16, little-endian. Throws E_USAGE for a value outside 0..0xFFFF. */
  addU16(key: number, value: number): void {
    this.#checkNumericKey(key);
    const bytes = littleEndian(value, 2);
    this.#trace?.fw_cfg_add_i16(key, fwCfgKeyName(key, this.#arch), value);
    this.addBytes(key, bytes);
  }

  /** Adds a u32, little-endian. Throws E_USAGE for a value outside 0..0xFFFFFFFF. */
  addU32(key: number, value: number): void {
    this.#checkNumericKey(key);
    const bytes = littleEndian(value, 4);
    this.#trace?.fw_cfg_add_i32(key, fwCfgKeyName(key, this.#arch), value);
    this.addBytes(key, bytes);
  }

  /** Adds a u64, little-endian. Throws E_USAGE for a value outside 0..2^64−1 (or an unsafe integer number). */
  addU64(key: number, value: number | bigint): void {
    this.#checkNumericKey(key);
    const bytes = littleEndian(value, 8);
    this.#trace?.fw_cfg_add_i64(key, fwCfgKeyName(key, this.#arch), value);
    this.addBytes(key, bytes);
  }

  /** Adds a named file in sorted directory position, renumbering the files after it; see FwCfgFileOptions. */
  addFile(name: string, bytes: Uint8Array, options: FwCfgFileOptions = {}): void {
    const encoded = encodeFileName(name);
    checkData(bytes);
    const dir = this.#directory();
    const count = dir.count;
    const index = dir.insert(name, encoded, bytes.length);
    const generic = this.#tables[0];
    for (let i = count; i > index; i--) generic[FW_CFG_FILE_FIRST + i] = generic[FW_CFG_FILE_FIRST + i - 1];
    generic[FW_CFG_FILE_FIRST + index] = undefined;
    this.#put(FW_CFG_FILE_FIRST + index, bytes, options);
    this.#trace?.fw_cfg_add_file(0, index, name, bytes.length);
  }

  /**
   * Replaces a file's data (fw_cfg_modify_file): the item becomes read-only and loses its callbacks; a name not yet
   * present is added read-only. The guest's current offset is kept, as in QEMU.
   */
  modifyFile(name: string, bytes: Uint8Array): void {
    const index = this.#dir?.indexOf(encodeFileName(name)) ?? -1;
    if (index < 0) {
      this.addFile(name, bytes);
      return;
    }
    checkData(bytes);
    this.#tables[0][FW_CFG_FILE_FIRST + index] = makeItem(bytes, undefined);
    this.#dir!.setSize(index, bytes.length);
  }

  /** The current key of a file, or undefined. Keys shift as files are added: final only after machine init. */
  keyOf(name: string): number | undefined {
    const index = this.#dir?.indexOf(encoder.encode(name)) ?? -1;
    return index < 0 ? undefined : FW_CFG_FILE_FIRST + index;
  }

  /** The files in directory order. */
  listFiles(): FwCfgFileInfo[] {
    const dir = this.#dir;
    if (!dir) return [];
    const out: FwCfgFileInfo[] = [];
    for (let i = 0; i < dir.count; i++) {
      const item = this.#tables[0][FW_CFG_FILE_FIRST + i]!;
      out.push({ name: dir.nameAt(i), key: FW_CFG_FILE_FIRST + i, size: item.data.length, writable: item.writable });
    }
    return out;
  }

  /** Stores a device-maintained item (signature, id) without the reserved-key check. */
  addInternal(key: number, bytes: Uint8Array): void {
    this.#trace?.fw_cfg_add_bytes(key, fwCfgKeyName(key, this.#arch), bytes.length);
    this.#put(key, bytes, undefined);
  }

  // QEMU creates the directory with the first file; until then key 0x19 has no data and reads as zeros.
  #directory(): FileDirectory {
    if (!this.#dir) {
      this.#dir = new FileDirectory(this.#slots);
      this.#tables[0][FW_CFG_FILE_DIR] = makeItem(this.#dir.bytes, undefined);
    }
    return this.#dir;
  }

  #checkNumericKey(key: number): void {
    const hex = `0x${(key >>> 0).toString(16).padStart(4, '0')}`;
    if (!Number.isInteger(key) || key < 0 || key > 0xffff) throw new TraceError('E_USAGE', `fw_cfg key ${key} is not a 16-bit selector`);
    const index = key & FW_CFG_ENTRY_MASK;
    if (index >= this.maxEntry) throw new TraceError('E_USAGE', `fw_cfg key ${hex} is beyond the last entry`);
    if (!(key & FW_CFG_ARCH_LOCAL) && (index >= FW_CFG_FILE_FIRST || index === FW_CFG_FILE_DIR)) {
      throw new TraceError('E_USAGE', `fw_cfg key ${hex} belongs to the file directory; add a named file instead`);
    }
    if (this.get(key)) throw new TraceError('E_DUPLICATE', `fw_cfg key ${hex} already has an item`);
  }

  #put(key: number, bytes: Uint8Array, options: FwCfgFileOptions | undefined): void {
    checkData(bytes);
    const table = key & FW_CFG_ARCH_LOCAL ? this.#tables[1] : this.#tables[0];
    table[key & FW_CFG_ENTRY_MASK] = makeItem(bytes, options);
  }
}

function littleEndian(value: number | bigint, size: 2 | 4 | 8): Uint8Array {
  const max = (1n << BigInt(size * 8)) - 1n;
  const ok = typeof value === 'bigint' ? value >= 0n && value <= max : Number.isSafeInteger(value) && value >= 0 && BigInt(value) <= max;
  if (!ok) throw new TraceError('E_USAGE', `fw_cfg value ${String(value)} does not fit in ${size * 8} bits`);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes.slice(0, size);
}

function makeItem(data: Uint8Array, options: FwCfgFileOptions | undefined): FwCfgItem {
  return {
    data,
    writable: options?.writable === true,
    onSelect: options?.onSelect,
    onWrite: options?.onWrite,
  };
}

// Item lengths are u32 on the wire (QEMU asserts len < UINT32_MAX); a resizable buffer could shrink under a read.
function checkData(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new TraceError('E_USAGE', 'fw_cfg item data must be a Uint8Array');
  if (bytes.length >= 0xffffffff) throw new TraceError('E_USAGE', `fw_cfg item too large (${bytes.length} bytes)`);
  const buffer = bytes.buffer as { resizable?: boolean; growable?: boolean };
  if (buffer.resizable === true || buffer.growable === true) {
    throw new TraceError('E_USAGE', 'fw_cfg item data must not live in a resizable buffer');
  }
}
