// The guest side of fw_cfg, as SeaBIOS or EDK2 drive it: signature, feature bits, the file directory, selects,
// data-register reads and DMA transfers whose descriptor lives in guest RAM. Runs on the Cpu interface only.
import type { Cpu } from '@unitrace/core';
import * as K from './constants.js';

/** Which board's fw_cfg placement to use; `auto` probes the pc ports first, then the virt MMIO window. */
export type FwCfgBoard = 'pc' | 'virt' | 'auto';

/** Options of `openFwCfg`. */
export interface FwCfgClientOptions {
  readonly board?: FwCfgBoard;
  /** MMIO base of the window on `virt`-style boards (default 0x09020000, Arm virt; RISC-V virt uses 0x10100000). */
  readonly mmioBase?: number;
  /** Guest RAM address of 16 bytes for the DMA descriptor. */
  readonly descriptor: number;
}

/** A named file of the directory. */
export interface FwCfgFile {
  readonly name: string;
  readonly key: number;
  readonly size: number;
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
const swap32 = (v: number): number =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff)) >>> 0;

/**
 * Finds fw_cfg by its `QEMU` signature and returns a client, or undefined when there is none. Probing a board that
 * is not there is harmless: unassigned ports and addresses read as all ones.
 */
export function openFwCfg(cpu: Cpu, options: FwCfgClientOptions): FwCfgClient | undefined {
  const board = options.board ?? 'auto';
  const base = options.mmioBase ?? K.VIRT_MMIO_BASE;
  for (const candidate of board === 'auto' ? (['pc', 'virt'] as const) : [board]) {
    const client = new FwCfgClient(cpu, candidate, base, options.descriptor);
    if (client.present) return client;
  }
  return undefined;
}

/** A fw_cfg device seen from the guest. Not thread-safe: one vCPU drives it at a time. */
export class FwCfgClient {
  /** The board whose placement this client uses. */
  readonly board: 'pc' | 'virt';
  /** The signature item read `QEMU` when the client was made. */
  readonly present: boolean;
  /** FW_CFG_ID bit 1 was set and the DMA register reads `QEMU CFG`. */
  readonly dma: boolean;
  readonly #cpu: Cpu;
  readonly #base: number;
  readonly #desc: number;

  constructor(cpu: Cpu, board: 'pc' | 'virt', mmioBase: number, descriptor: number) {
    this.#cpu = cpu;
    this.board = board;
    this.#base = mmioBase;
    this.#desc = descriptor;
    this.present = this.hasSignature();
    this.dma = this.present && this.#probeDma();
  }

  /** Selects key 0 and checks that it reads `QEMU`. */
  hasSignature(): boolean {
    this.select(K.KEY_SIGNATURE);
    return this.readByte() === 0x51 && this.readByte() === 0x45 && this.readByte() === 0x4d && this.readByte() === 0x55;
  }

  /** Writes the selector (resets the data offset). */
  select(key: number): void {
    if (this.board === 'pc') this.#cpu.outw(K.PC_SELECTOR_PORT, key);
    else this.#cpu.mmioWrite(this.#base + K.MMIO_SELECTOR, 2, swap16(key));
  }

  /** Reads the next byte of the selected item through the data register (0 past its end). */
  readByte(): number {
    return this.board === 'pc' ? this.#cpu.inb(K.PC_DATA_PORT) : this.#cpu.mmioRead(this.#base + K.MMIO_DATA, 1) & 0xff;
  }

  /** Reads a big-endian u32 through the data register. */
  readBe32(): number {
    return ((this.readByte() << 24) | (this.readByte() << 16) | (this.readByte() << 8) | this.readByte()) >>> 0;
  }

  /** Selects `key` and reads `length` bytes through the data register (no DMA needed; one exit per byte). */
  readItem(key: number, length: number): Uint8Array {
    this.select(key);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.readByte();
    return out;
  }

  /**
   * Runs one DMA transfer: `control` (with SELECT, the key goes in bits 31..16), `length` bytes at guest `address`.
   * One exit (the write of the low address half). Returns true when the device cleared the control word.
   */
  transfer(control: number, length: number, address: number): boolean {
    const v = this.#cpu.ramView;
    const d = this.#desc;
    v.setUint32(d, control >>> 0, false);
    v.setUint32(d + 4, length >>> 0, false);
    v.setUint32(d + 8, Math.floor(address / 4294967296) >>> 0, false);
    v.setUint32(d + 12, address >>> 0, false);
    // Each transfer resets the latched high half to 0, and descriptors sit below 4 GiB: the low write alone starts it.
    if (this.board === 'pc') this.#cpu.outl(K.PC_DMA_PORT + 4, swap32(d));
    else this.#cpu.mmioWrite(this.#base + K.MMIO_DMA + 4, 4, swap32(d));
    return (v.getUint32(d, false) & K.DMA_ERROR) === 0;
  }

  /** DMA-reads `length` bytes of item `key` (from its start) into guest RAM at `address`. */
  dmaRead(key: number, address: number, length: number): boolean {
    return this.transfer(((key & 0xffff) << 16) | K.DMA_SELECT | K.DMA_READ, length, address);
  }

  /** DMA-writes `length` bytes of guest RAM at `address` into item `key` from its start (the item must be writable). */
  dmaWrite(key: number, address: number, length: number): boolean {
    return this.transfer(((key & 0xffff) << 16) | K.DMA_SELECT | K.DMA_WRITE, length, address);
  }

  /**
   * Walks the file directory and returns every file. With DMA, `scratch` (guest RAM, at least 64 bytes) takes the
   * entries in chunks; without it, the entries are read through the data register.
   */
  files(scratch?: { readonly address: number; readonly bytes: number }): FwCfgFile[] {
    const out: FwCfgFile[] = [];
    this.select(K.KEY_FILE_DIR);
    const count = this.readBe32();
    if (this.dma && scratch !== undefined && scratch.bytes >= K.DIR_ENTRY_BYTES) {
      const per = Math.floor(scratch.bytes / K.DIR_ENTRY_BYTES);
      for (let i = 0; i < count; i += per) {
        const n = Math.min(per, count - i);
        // No SELECT: the transfer continues where the count left off.
        if (!this.transfer(K.DMA_READ, n * K.DIR_ENTRY_BYTES, scratch.address)) return out;
        for (let k = 0; k < n; k++) out.push(parseEntry(this.#cpu.ram, scratch.address + k * K.DIR_ENTRY_BYTES));
      }
      return out;
    }
    const entry = new Uint8Array(K.DIR_ENTRY_BYTES);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < K.DIR_ENTRY_BYTES; k++) entry[k] = this.readByte();
      out.push(parseEntry(entry, 0));
    }
    return out;
  }

  /** The file called `name`, or undefined. */
  findFile(name: string, scratch?: { readonly address: number; readonly bytes: number }): FwCfgFile | undefined {
    return this.files(scratch).find((f) => f.name === name);
  }

  #probeDma(): boolean {
    this.select(K.KEY_ID);
    const features = this.readByte() | (this.readByte() << 8) | (this.readByte() << 16) | (this.readByte() << 24);
    if ((features & K.FEATURE_DMA) === 0) return false;
    if (this.board === 'pc') {
      return this.#cpu.inl(K.PC_DMA_PORT) === K.DMA_SIGNATURE_LO && this.#cpu.inl(K.PC_DMA_PORT + 4) === K.DMA_SIGNATURE_HI;
    }
    const at = this.#base + K.MMIO_DMA;
    return this.#cpu.mmioRead(at, 4) === K.DMA_SIGNATURE_LO && this.#cpu.mmioRead(at + 4, 4) === K.DMA_SIGNATURE_HI;
  }
}

function parseEntry(bytes: Uint8Array, o: number): FwCfgFile {
  const size = ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
  const key = (bytes[o + 4] << 8) | bytes[o + 5];
  let name = '';
  for (let i = 0; i < K.DIR_NAME_BYTES; i++) {
    const c = bytes[o + 8 + i];
    if (c === 0) break;
    name += String.fromCharCode(c);
  }
  return { name, key, size };
}
