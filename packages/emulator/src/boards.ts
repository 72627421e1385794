// Boards: where a machine's fixed devices sit (spec §9.1). Plain data, shared by the fw_cfg device and the firmware.
import { TraceError } from '@unitrace/core';

/** The boards a machine can be: x86 `pc` (fw_cfg on ports) or Arm-style `virt` (fw_cfg on MMIO). */
export type BoardName = 'pc' | 'virt';

/** x86 fw_cfg selector port: 16-bit writes, little-endian as `outw` sends it. */
export const FW_CFG_IO_SELECTOR = 0x510;
/** x86 fw_cfg data port: 8-bit reads (a byte read of 0x510 also reads data). */
export const FW_CFG_IO_DATA = 0x511;
/** Ports the selector and data registers span together (they overlap: data is the selector's upper byte). */
export const FW_CFG_IO_CTL_DATA_LENGTH = 2;
/** x86 fw_cfg DMA address register: 0x514 (high half) and 0x518 (low half, starts the transfer), big-endian. */
export const FW_CFG_IO_DMA = 0x514;
/** Bytes of the DMA address register (on ports and MMIO). */
export const FW_CFG_DMA_LENGTH = 8;

/** Arm `virt` fw_cfg MMIO base (memmap `{0x09020000, 0x18}`). */
export const FW_CFG_VIRT_BASE = 0x0902_0000;
/** Bytes of the `virt` fw_cfg MMIO window. */
export const FW_CFG_VIRT_SIZE = 0x18;
/** Offset of the data register in an MMIO fw_cfg window (any width 1..data width, only at offset 0). */
export const FW_CFG_MMIO_DATA_OFFSET = 0;
/** Offset of the selector in an MMIO fw_cfg window (16-bit big-endian writes only). */
export const FW_CFG_MMIO_SELECTOR_OFFSET = 8;
/** Offset of the DMA address register in an MMIO fw_cfg window. */
export const FW_CFG_MMIO_DMA_OFFSET = 16;
/** Width of the `virt` data register, in bytes. */
export const FW_CFG_VIRT_DATA_WIDTH = 8;

/** fw_cfg on the port bus (pc). Registers are little-endian as the CPU sees them, except DMA (big-endian). */
export interface FwCfgPortPlacement {
  readonly bus: 'io';
  /** Selector port (16-bit write). */
  readonly selector: number;
  /** Data port (8-bit read). */
  readonly data: number;
  /** First port of the combined selector/data window, and its length in ports. */
  readonly ctlBase: number;
  readonly ctlLength: number;
  /** Bytes of the data register. */
  readonly dataWidth: 1;
  /** First port of the DMA address register, and its length. */
  readonly dma: number;
  readonly dmaLength: number;
}

/** fw_cfg on the MMIO bus (virt): three big-endian registers in one window. */
export interface FwCfgMmioPlacement {
  readonly bus: 'mmio';
  /** The window: [base, base + size). */
  readonly base: number;
  readonly size: number;
  /** Absolute addresses of the registers. */
  readonly data: number;
  readonly selector: number;
  readonly dma: number;
  /** Bytes of the data register (reads of 1..dataWidth bytes at offset 0). */
  readonly dataWidth: number;
  readonly dmaLength: number;
  /** Every register is DEVICE_BIG_ENDIAN: a little-endian CPU byte-swaps the selector it writes. */
  readonly bigEndian: true;
}

/** Where fw_cfg sits on a board. */
export type FwCfgPlacement = FwCfgPortPlacement | FwCfgMmioPlacement;

/** A board: plain data. RAM starts at guest-physical 0 on every board (DMA addresses are RAM offsets). */
export interface Board {
  readonly name: BoardName;
  /** One line, for `info` output. */
  readonly description: string;
  readonly fwCfg: FwCfgPlacement;
}

/** The x86 pc board: fw_cfg at ports 0x510/0x511, DMA at 0x514–0x51B. */
export const PC_BOARD: Board = Object.freeze({
  name: 'pc',
  description: 'x86 pc: fw_cfg on ports 0x510 (selector), 0x511 (data), 0x514 (DMA)',
  fwCfg: Object.freeze({
    bus: 'io',
    selector: FW_CFG_IO_SELECTOR,
    data: FW_CFG_IO_DATA,
    ctlBase: FW_CFG_IO_SELECTOR,
    ctlLength: FW_CFG_IO_CTL_DATA_LENGTH,
    dataWidth: 1,
    dma: FW_CFG_IO_DMA,
    dmaLength: FW_CFG_DMA_LENGTH,
  } as const),
});

/** The Arm-style virt board: fw_cfg MMIO at 0x09020000 (data +0, width 8; selector +8; DMA +16). */
export const VIRT_BOARD: Board = Object.freeze({
  name: 'virt',
  description: 'virt: fw_cfg MMIO at 0x09020000 (data +0 width 8, selector +8, DMA +16), big-endian',
  fwCfg: Object.freeze({
    bus: 'mmio',
    base: FW_CFG_VIRT_BASE,
    size: FW_CFG_VIRT_SIZE,
    data: FW_CFG_VIRT_BASE + FW_CFG_MMIO_DATA_OFFSET,
    selector: FW_CFG_VIRT_BASE + FW_CFG_MMIO_SELECTOR_OFFSET,
    dma: FW_CFG_VIRT_BASE + FW_CFG_MMIO_DMA_OFFSET,
    dataWidth: FW_CFG_VIRT_DATA_WIDTH,
    dmaLength: FW_CFG_DMA_LENGTH,
    bigEndian: true,
  } as const),
});

/** Every board, by name. */
export const BOARDS: Readonly<Record<BoardName, Board>> = Object.freeze({ pc: PC_BOARD, virt: VIRT_BOARD });

/** The board called `name`; throws TraceError('E_USAGE') naming the known boards otherwise. */
export function boardByName(name: string): Board {
  if (name === 'pc' || name === 'virt') return BOARDS[name];
  throw new TraceError('E_USAGE', `unknown board '${name}' (known: ${Object.keys(BOARDS).join(', ')})`);
}
