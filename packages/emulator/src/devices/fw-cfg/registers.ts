// fw_cfg register decoding: the port variant (pc) and the MMIO variant (virt), with their widths and byte orders.
import type { AccessHandlers, AccessSize } from '../../io/handlers.js';
import { FW_CFG_DMA_SIGNATURE } from './keys.js';

/** What the registers drive; values are already in the device's (register) byte order. */
export interface FwCfgRegisterTarget {
  /** Selector write. */
  select(key: number): void;
  /** Next `size` item bytes as the CPU sees a string-preserving read: byte i of the item is bits 8i..8i+7. */
  readData(size: AccessSize): number | bigint;
  /** DMA address high half: latch `high << 32`, clearing the low half. */
  dmaHigh(high: number): void;
  /** DMA address low half: OR it in and start the transfer. */
  dmaLow(low: number): void;
  /** Full 64-bit DMA address write: latch and start the transfer. */
  dma64(address: bigint): void;
}

/** The CPU-visible value of a rejected read: all ones, as the buses give for widths a range does not accept. */
export function allOnes(size: AccessSize): number | bigint {
  return size === 8 ? 0xffff_ffff_ffff_ffffn : size === 4 ? 0xffff_ffff : size === 2 ? 0xffff : 0xff;
}

/** Byte-swaps a 16-bit value. */
export function bswap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}

/** Byte-swaps a 32-bit value (result unsigned). */
export function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | ((v >>> 24) & 0xff)) >>> 0;
}

/** Byte-swaps a 64-bit value. */
export function bswap64(v: bigint): bigint {
  const hi = Number((v >> 32n) & 0xffff_ffffn);
  const lo = Number(v & 0xffff_ffffn);
  return (BigInt(bswap32(lo)) << 32n) | BigInt(bswap32(hi));
}

const SIGNATURE_BYTES = new Uint8Array(8);
new DataView(SIGNATURE_BYTES.buffer).setBigUint64(0, FW_CFG_DMA_SIGNATURE);

/**
 * A read of the DMA register: `QEMU CFG`, byte k of the window at offset k, so a little-endian CPU sees the bytes in
 * memory order. Unaligned reads are refused (all ones), as QEMU's validator refuses them.
 */
export function readDmaSignature(offset: number, size: AccessSize): number | bigint {
  if (offset % size !== 0 || offset + size > 8) return allOnes(size);
  if (size === 8) return new DataView(SIGNATURE_BYTES.buffer).getBigUint64(0, true);
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + SIGNATURE_BYTES[offset + i];
  return value;
}

/**
 * The DMA register's write decoding, shared by both variants: big-endian, a 32-bit write at +0 (high) or +4 (low,
 * triggers), or a 64-bit write at +0 (triggers). Any other write is dropped, as QEMU's validator drops it.
 */
function dmaHandlers(t: FwCfgRegisterTarget, sizes: readonly AccessSize[]): AccessHandlers {
  return {
    sizes,
    read: readDmaSignature,
    write(offset, size, value) {
      if (size === 4 && typeof value === 'number') {
        if (offset === 0) t.dmaHigh(bswap32(value));
        else if (offset === 4) t.dmaLow(bswap32(value));
      } else if (size === 8 && offset === 0 && typeof value === 'bigint') {
        t.dma64(bswap64(value & 0xffff_ffff_ffff_ffffn));
      }
    },
  };
}

/** One claimed range: offset from the device base, length, handlers. */
export interface FwCfgRange {
  /** From the device base. */
  readonly offset: number;
  /** Bytes (or ports) claimed. */
  readonly length: number;
  /** What the bus calls. */
  readonly handlers: AccessHandlers;
}

/**
 * The x86 port layout: +0 a 2-byte window (16-bit little-endian selector write; 8-bit data reads at +0 or +1;
 * 8-bit writes ignored), +4 the 8-byte DMA register when enabled.
 */
export function ioRanges(t: FwCfgRegisterTarget, dma: boolean): FwCfgRange[] {
  const ctl: AccessHandlers = {
    sizes: [1, 2],
    read: (_offset, size) => (size === 1 ? t.readData(1) : allOnes(size)),
    write(offset, size, value) {
      if (size === 2 && offset === 0 && typeof value === 'number') t.select(value & 0xffff);
    },
  };
  const ranges: FwCfgRange[] = [{ offset: 0, length: 2, handlers: ctl }];
  if (dma) ranges.push({ offset: 4, length: 8, handlers: dmaHandlers(t, [1, 2, 4, 8]) });
  return ranges;
}

/**
 * The generic MMIO layout (arm/riscv/loongarch `virt`), all big-endian: +0 data (reads of 1..dataWidth bytes at
 * offset 0 only; writes ignored), +8 the selector (16-bit writes only), +16 the DMA register when enabled.
 */
export function mmioRanges(t: FwCfgRegisterTarget, dma: boolean, dataWidth: AccessSize): FwCfgRange[] {
  const dataSizes = ([1, 2, 4, 8] as const).filter((s) => s <= dataWidth);
  const data: AccessHandlers = {
    sizes: dataSizes,
    read: (offset, size) => (offset === 0 ? t.readData(size) : allOnes(size)),
    write() {},
  };
  // No read handler: the bus refuses selector reads as QEMU's validator does (and counts them as invalid).
  const ctl: AccessHandlers = {
    sizes: [2],
    write(offset, size, value) {
      if (size === 2 && offset === 0 && typeof value === 'number') t.select(bswap16(value));
    },
  };
  const ranges: FwCfgRange[] = [
    { offset: 0, length: dataWidth, handlers: data },
    { offset: 8, length: 2, handlers: ctl },
  ];
  if (dma) ranges.push({ offset: 16, length: 8, handlers: dmaHandlers(t, [1, 2, 4, 8]) });
  return ranges;
}
