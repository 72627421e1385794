// fw_cfg as QEMU's boards place it (spec §9): architectural facts, copied here so guest code needs no emulator.

/** x86 pc: selector port (16-bit write), data port (8-bit read), DMA address register (big-endian halves). */
export const PC_SELECTOR_PORT = 0x510;
export const PC_DATA_PORT = 0x511;
export const PC_DMA_PORT = 0x514;

/** Arm `virt` MMIO window base; data at +0, selector at +8 (16-bit big-endian), DMA at +16 (big-endian). */
export const VIRT_MMIO_BASE = 0x0902_0000;
export const MMIO_DATA = 0;
export const MMIO_SELECTOR = 8;
export const MMIO_DMA = 16;

/** Well-known keys. */
export const KEY_SIGNATURE = 0x00;
export const KEY_ID = 0x01;
export const KEY_FILE_DIR = 0x19;

/** FW_CFG_ID feature bits: traditional interface, DMA interface. */
export const FEATURE_TRADITIONAL = 1;
export const FEATURE_DMA = 2;

/** DMA descriptor: 16 bytes, big-endian control, length, address. */
export const DMA_DESC_BYTES = 16;
export const DMA_ERROR = 0x01;
export const DMA_READ = 0x02;
export const DMA_SKIP = 0x04;
export const DMA_SELECT = 0x08;
export const DMA_WRITE = 0x10;

/** What the DMA register reads as: `QEMU CFG` in big-endian byte order; as two little-endian u32 loads. */
export const DMA_SIGNATURE_LO = 0x554d4551;
export const DMA_SIGNATURE_HI = 0x47464320;

/** A directory entry: size u32 BE, select u16 BE, reserved u16, name[56] NUL-terminated. */
export const DIR_ENTRY_BYTES = 64;
export const DIR_NAME_BYTES = 56;
