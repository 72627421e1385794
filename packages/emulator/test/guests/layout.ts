// Where the recorder device sits, and how test guests hand results back: u32 words in guest RAM.
import type { Cpu } from '@unitrace/core';

type RecorderPlace =
  | 'IO_BASE'
  | 'IO_LENGTH'
  | 'NARROW_PORT'
  | 'DOORBELL_PORT'
  | 'STAMP_PORT'
  | 'DMA_PORT'
  | 'UNASSIGNED_PORT'
  | 'MMIO_BASE'
  | 'MMIO_LENGTH'
  | 'MMIO_NARROW'
  | 'MMIO_UNASSIGNED'
  | 'MMIO_HIGH';

/** The recorder device's ports and MMIO windows. */
export const REC: Readonly<Record<RecorderPlace, number>> = {
  IO_BASE: 0x100,
  IO_LENGTH: 16,
  /** One port that accepts only byte accesses and reads 0x5a. */
  NARROW_PORT: 0x1f0,
  /** Every write counts one doorbell; reads return the count. */
  DOORBELL_PORT: 0x1f8,
  /** Byte writes record the host time. */
  STAMP_PORT: 0x1fa,
  /** A 32-bit write of a RAM address: the device reads 16 bytes there and writes their complement 16 bytes later. */
  DMA_PORT: 0x1fc,
  /** A port nobody claims. */
  UNASSIGNED_PORT: 0x3ff,
  MMIO_BASE: 0x1000_0000,
  MMIO_LENGTH: 0x100,
  /** Four bytes that accept only 32-bit accesses and read 0x12345678. */
  MMIO_NARROW: 0x1000_1000,
  /** An address nobody claims. */
  MMIO_UNASSIGNED: 0x2000_0000,
  /** An 8-byte register above 4 GiB (2^40), accepting 4- and 8-byte accesses. */
  MMIO_HIGH: 2 ** 40,
};

/** Guest RAM address where results start unless args.out says otherwise. */
export const DEFAULT_OUT = 0x1000;

/** Appends u32 results to guest RAM after a count word, little-endian; the test reads them with `readResults`. */
export class Out {
  readonly #cpu: Cpu;
  readonly #base: number;
  #n = 0;
  constructor(cpu: Cpu, base: number = DEFAULT_OUT) {
    this.#cpu = cpu;
    this.#base = base;
    cpu.ramView.setUint32(base, 0, true);
  }
  /** Appends one u32 and bumps the count word. */
  push(value: number): void {
    this.#cpu.ramView.setUint32(this.#base + 4 + 4 * this.#n, value >>> 0, true);
    this.#n++;
    this.#cpu.ramView.setUint32(this.#base, this.#n, true);
  }
  /** Appends a 64-bit value as two u32 (low, high). */
  push64(value: bigint): void {
    this.push(Number(value & 0xffff_ffffn));
    this.push(Number((value >> 32n) & 0xffff_ffffn));
  }
}

/** The results a guest appended with `Out`, read from guest RAM bytes. */
export function readResults(ram: Uint8Array, base: number = DEFAULT_OUT): number[] {
  const view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  const n = view.getUint32(base, true);
  return Array.from({ length: n }, (_, i) => view.getUint32(base + 4 + 4 * i, true));
}
