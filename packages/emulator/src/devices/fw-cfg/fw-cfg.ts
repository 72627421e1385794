// The fw_cfg device: selection state, data reads, the DMA address latch, and the item API the machine fills.
import { readFileSync } from 'node:fs';
import { TraceError } from '@unitrace/core';
import type { Device, DeviceContext } from '../device.js';
import type { AccessSize } from '../../io/handlers.js';
import type { GuestMemory } from '../../memory/guest-memory.js';
import { type FwCfgDmaTarget, joinAddress, runDmaTransfer } from './dma.js';
import { type FwCfgFileInfo, type FwCfgFileOptions, FwCfgItems } from './items.js';
import {
  FW_CFG_ENTRY_MASK,
  FW_CFG_FILE_SLOTS_DFLT,
  FW_CFG_FILE_SLOTS_MAX,
  FW_CFG_FILE_SLOTS_MIN,
  FW_CFG_ID,
  FW_CFG_INVALID,
  FW_CFG_IO_BASE,
  FW_CFG_MMIO_BASE_ARM_VIRT,
  FW_CFG_SIGNATURE,
  FW_CFG_VERSION,
  FW_CFG_VERSION_DMA,
  fwCfgKeyName,
} from './keys.js';
import { type FwCfgRegisterTarget, ioRanges, mmioRanges } from './registers.js';
import type { FwCfgTrace } from './trace.js';
import { type FwCfgUserItem, checkUserItem } from './user-item.js';

/** How to build a fw_cfg device. */
export interface FwCfgOptions {
  /** `io`: x86 ports (selector/data at base, DMA at base + 4). `mmio`: `virt` layout (data +0, selector +8, DMA +16). */
  readonly variant: 'io' | 'mmio';
  /** Port base (default 0x510) or MMIO base (default 0x09020000, arm `virt`). */
  readonly base?: number;
  /** Wire the DMA register and advertise FW_CFG_VERSION_DMA (default true). */
  readonly dmaEnabled?: boolean;
  /** Directory capacity, 0x10..0x3FE0 (default 0x20; machines ≤ 2.8 use 0x10). */
  readonly fileSlots?: number;
  /** MMIO data register width in bytes (default 8, as on `virt`; 1 on ppc/sparc boards). Ignored for `io`. */
  readonly dataWidth?: AccessSize;
  /** Tracepoints; pass the generated host TraceEvents object. */
  readonly trace?: FwCfgTrace;
  /** Configuration warnings (user item names without `opt/`). Never called for guest actions. */
  readonly onWarning?: (message: string) => void;
  /**
   * A select or write callback threw (a host bug). The guest's access completes first (a DMA write reports ERROR).
   * Without this option the error is rethrown from a microtask, outside the guest's access.
   */
  readonly onError?: (error: unknown) => void;
}

/** The selection and DMA latch, as QEMU migrates them (`cur_entry`, `cur_offset`, `dma_addr`). */
export interface FwCfgRegisters {
  /** The selected key as written (bits 14 and 15 included), or FW_CFG_INVALID (0xFFFF). */
  readonly selected: number;
  /** Data offset inside the selected item; never past its length through guest accesses. */
  readonly offset: number;
  /** The latched DMA address: the high half waiting for its low half, else 0. */
  readonly dmaAddress: bigint;
}

/** A fw_cfg device plus the item API of QEMU's fw_cfg_add_* functions. */
export interface FwCfgDevice extends Device {
  /** Port (`io`) or MMIO (`mmio`) registers. */
  readonly variant: 'io' | 'mmio';
  /** Whether the DMA register exists (FW_CFG_ID bit 1). */
  readonly dmaEnabled: boolean;
  /** Directory capacity; keys 0x20 .. 0x20 + fileSlots − 1 are files. */
  readonly fileSlots: number;
  /** Adds a read-only item under a numeric key (< 0x20, other than 0x19, or an arch key with bit 15). */
  addBytes(key: number, bytes: Uint8Array): void;
  /** Adds a NUL-terminated string under a numeric key. */
  addString(key: number, value: string): void;
  /** Adds a u16 LE under a numeric key. */
  addU16(key: number, value: number): void;
  /** Adds a u32 LE under a numeric key. */
  addU32(key: number, value: number): void;
  /** Adds a u64 LE under a numeric key. */
  addU64(key: number, value: number | bigint): void;
  /** Adds a named file; keeps `bytes` without copying (a writable item's guest writes land in it). */
  addFile(name: string, bytes: Uint8Array, options?: FwCfgFileOptions): void;
  /** Adds a read-only named file with a host file's contents; throws E_IO when it cannot be read. */
  addFileFromDisk(name: string, path: string): void;
  /** Adds a `-fw_cfg` user item (read-only); returns the warnings, which also go to onWarning. */
  addUserItem(item: FwCfgUserItem): readonly string[];
  /** Replaces a file's data, making it read-only; adds it when absent. */
  modifyFile(name: string, bytes: Uint8Array): void;
  /** A file's current key, or undefined; final only once every file has been added. */
  keyOf(name: string): number | undefined;
  /** The directory, in order. */
  listFiles(): FwCfgFileInfo[];
  /** The guest-visible register state, for the monitor and tests. */
  registers(): FwCfgRegisters;
}

/** Builds a fw_cfg device with its signature, ID and (from the first file on) its directory. Throws E_USAGE for bad options. */
export function createFwCfg(options: FwCfgOptions): FwCfgDevice {
  return new FwCfg(options);
}

const SIGNATURE = new TextEncoder().encode('QEMU');

class FwCfg implements FwCfgDevice, FwCfgDmaTarget, FwCfgRegisterTarget {
  readonly name = 'fw_cfg';
  readonly variant: 'io' | 'mmio';
  readonly dmaEnabled: boolean;
  readonly fileSlots: number;
  readonly items: FwCfgItems;
  trace: FwCfgTrace | undefined;
  selected = 0;
  offset = 0;
  readonly #base: number;
  readonly #dataWidth: AccessSize;
  readonly #options: FwCfgOptions;
  readonly #archNames: 'x86' | 'none';
  #dmaHigh = 0;
  #memory: GuestMemory | undefined;

  constructor(options: FwCfgOptions) {
    if (options.variant !== 'io' && options.variant !== 'mmio') {
      throw new TraceError('E_USAGE', `fw_cfg variant must be 'io' or 'mmio', not ${String(options.variant)}`);
    }
    const slots = options.fileSlots ?? FW_CFG_FILE_SLOTS_DFLT;
    if (!Number.isInteger(slots) || slots < FW_CFG_FILE_SLOTS_MIN || slots > FW_CFG_FILE_SLOTS_MAX) {
      throw new TraceError('E_USAGE', `fw_cfg file slots must be ${FW_CFG_FILE_SLOTS_MIN}..${FW_CFG_FILE_SLOTS_MAX}, not ${slots}`);
    }
    const width = options.dataWidth ?? 8;
    if (width !== 1 && width !== 2 && width !== 4 && width !== 8) {
      throw new TraceError('E_USAGE', `fw_cfg data width must be 1, 2, 4 or 8, not ${String(width)}`);
    }
    this.variant = options.variant;
    this.dmaEnabled = options.dmaEnabled ?? true;
    this.fileSlots = slots;
    this.trace = options.trace;
    this.#options = options;
    this.#dataWidth = width;
    this.#base = options.base ?? (options.variant === 'io' ? FW_CFG_IO_BASE : FW_CFG_MMIO_BASE_ARM_VIRT);
    this.#archNames = options.variant === 'io' ? 'x86' : 'none';
    this.items = new FwCfgItems(slots, options.trace, this.#archNames);
    this.items.addInternal(FW_CFG_SIGNATURE, SIGNATURE.slice());
    const version = FW_CFG_VERSION | (this.dmaEnabled ? FW_CFG_VERSION_DMA : 0);
    this.items.addInternal(FW_CFG_ID, new Uint8Array([version, 0, 0, 0]));
  }

  attach(ctx: DeviceContext): void {
    const bus = this.variant === 'io' ? ctx.io : ctx.mmio;
    const ranges = this.variant === 'io' ? ioRanges(this, this.dmaEnabled) : mmioRanges(this, this.dmaEnabled, this.#dataWidth);
    for (const r of ranges) bus.register(this.#base + r.offset, r.length, this.name, r.handlers);
    this.#memory = ctx.memory;
    // The machine's bound tracepoints, once they include this device's section; items added before attach were
    // traced only through options.trace.
    if (!this.trace && hasFwCfgEvents(ctx.trace)) {
      this.trace = ctx.trace;
      this.items.setTrace(ctx.trace);
    }
  }

  reset(): void {
    // §9.2: reset selects the signature. The DMA latch returns to its power-on 0 (Device.reset's contract).
    this.#dmaHigh = 0;
    this.select(FW_CFG_SIGNATURE);
  }

  select(key: number): void {
    this.offset = 0;
    let ret = 0;
    if ((key & FW_CFG_ENTRY_MASK) >= this.items.maxEntry) {
      this.selected = FW_CFG_INVALID;
    } else {
      this.selected = key;
      ret = 1;
      const cb = this.items.get(key)?.onSelect;
      if (cb) {
        try {
          cb();
        } catch (error) {
          this.callbackFailed(error);
        }
      }
    }
    this.trace?.fw_cfg_select(0, key, fwCfgKeyName(key, this.#archNames), ret);
  }

  readData(size: AccessSize): number | bigint {
    const key = this.selected;
    const item = key === FW_CFG_INVALID ? undefined : this.items.get(key);
    const offset = this.offset;
    if (item === undefined || offset >= item.data.length) {
      this.trace?.fw_cfg_read(0, 0);
      return size === 8 ? 0n : 0;
    }
    const data = item.data;
    const n = Math.min(size, data.length - offset);
    this.offset = offset + n;
    if (size === 1) {
      this.trace?.fw_cfg_read(0, data[offset]);
      return data[offset];
    }
    if (size === 8) {
      let value = 0n;
      for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[offset + i]);
      if (this.trace) this.trace.fw_cfg_read(0, bigEndianValue(data, offset, n, size));
      return value;
    }
    let value = 0;
    for (let i = n - 1; i >= 0; i--) value = value * 256 + data[offset + i];
    if (this.trace) this.trace.fw_cfg_read(0, Number(bigEndianValue(data, offset, n, size)));
    return value;
  }

  dmaHigh(high: number): void {
    this.#dmaHigh = high >>> 0;
  }

  // QEMU ORs the low half into dma_addr, whose low half is always 0 by then: the high write clears it and every
  // transfer resets the whole register. So only the high half is ever latched.
  dmaLow(low: number): void {
    this.#transfer(joinAddress(this.#dmaHigh, low >>> 0));
  }

  dma64(address: bigint): void {
    this.#transfer(joinAddress(Number(address >> 32n), Number(address & 0xffff_ffffn)));
  }

  #transfer(address: number | bigint): void {
    this.#dmaHigh = 0;
    if (this.#memory) runDmaTransfer(this, this.#memory, address);
  }

  callbackFailed(error: unknown): void {
    const onError = this.#options.onError;
    if (onError) onError(error);
    else
      queueMicrotask(() => {
        throw error;
      });
  }

  addBytes(key: number, bytes: Uint8Array): void {
    this.items.addBytes(key, bytes);
  }

  addString(key: number, value: string): void {
    this.items.addString(key, value);
  }

  addU16(key: number, value: number): void {
    this.items.addU16(key, value);
  }

  addU32(key: number, value: number): void {
    this.items.addU32(key, value);
  }

  addU64(key: number, value: number | bigint): void {
    this.items.addU64(key, value);
  }

  addFile(name: string, bytes: Uint8Array, options?: FwCfgFileOptions): void {
    this.items.addFile(name, bytes, options);
  }

  addFileFromDisk(name: string, path: string): void {
    this.items.addFile(name, loadFile(path));
  }

  addUserItem(item: FwCfgUserItem): readonly string[] {
    const warnings = checkUserItem(item);
    const bytes = item.file ? loadFile(item.file) : new TextEncoder().encode(item.string ?? '');
    this.items.addFile(item.name, bytes);
    for (const w of warnings) this.#options.onWarning?.(w);
    return warnings;
  }

  modifyFile(name: string, bytes: Uint8Array): void {
    this.items.modifyFile(name, bytes);
  }

  keyOf(name: string): number | undefined {
    return this.items.keyOf(name);
  }

  listFiles(): FwCfgFileInfo[] {
    return this.items.listFiles();
  }

  registers(): FwCfgRegisters {
    const dmaAddress = BigInt(this.#dmaHigh) << 32n;
    return { selected: this.selected, offset: this.offset, dmaAddress };
  }
}

// What QEMU's data register holds before the big-endian region swaps it: the bytes in order, zero-padded on the right.
function bigEndianValue(data: Uint8Array, offset: number, n: number, size: number): bigint {
  let value = 0n;
  for (let i = 0; i < n; i++) value = (value << 8n) | BigInt(data[offset + i]);
  return value << BigInt(8 * (size - n));
}

function hasFwCfgEvents(trace: unknown): trace is FwCfgTrace {
  const t = trace as Partial<Record<keyof FwCfgTrace, unknown>> | undefined;
  return typeof t?.fw_cfg_select === 'function' && typeof t.fw_cfg_dma_transfer === 'function';
}

function loadFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TraceError('E_IO', `can't load ${path}: ${reason}`, { cause: error });
  }
}
