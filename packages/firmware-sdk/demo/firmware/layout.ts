// The demo firmware's use of guest RAM, and the boot protocol it shares with the demo kernel (kernel.s BOOT_INFO).

/** The boot information block the kernel reads: magic, version, command line address and length. */
export const BOOT_INFO = 0x0000_1000;
/** `UTBI`, little-endian. */
export const BOOT_INFO_MAGIC = 0x4942_5455;
export const BOOT_INFO_VERSION = 1;
/** Offsets in the boot information block. */
export const BI_MAGIC = 0;
export const BI_VERSION = 4;
export const BI_CMDLINE_ADDR = 8;
export const BI_CMDLINE_LEN = 12;

/** The firmware's own fw_cfg DMA descriptor (16 bytes). */
export const FW_DMA_DESCRIPTOR = 0x0000_2000;
/** Scratch RAM for the directory walk and small items. */
export const FW_SCRATCH = 0x0000_3000;
export const FW_SCRATCH_BYTES = 0x0000_d000;
/** The region the trace SDK carves (state page, handshake, status, early buffer, batch buffer). */
export const TRACE_REGION = 0x0003_0000;
export const TRACE_REGION_BYTES = 0x0002_0000;
export const TRACE_EARLY_BYTES = 4096;
/** RAM the power-on self test writes and reads back: 1 MiB from 4 MiB (clear of the kernel and the stack). */
export const MEMTEST_BASE = 0x0040_0000;
export const MEMTEST_BYTES = 0x0010_0000;

/** fw_cfg keys of a `-kernel` boot (QEMU's traditional selectors, spec §9.3). */
export const KEY_RAM_SIZE = 0x03;
export const KEY_KERNEL_ADDR = 0x07;
export const KEY_KERNEL_SIZE = 0x08;
export const KEY_KERNEL_ENTRY = 0x10;
export const KEY_KERNEL_DATA = 0x11;
export const KEY_CMDLINE_ADDR = 0x13;
export const KEY_CMDLINE_SIZE = 0x14;
export const KEY_CMDLINE_DATA = 0x15;

/** Test-mode items: how many heartbeats to trace before booting, and the pause between them (`-fw_cfg` strings). */
export const ITEM_HEARTBEATS = 'opt/unitrace/demo/heartbeats';
export const ITEM_HEARTBEAT_MS = 'opt/unitrace/demo/heartbeat-ms';

/** Halt codes of a boot that cannot go on. */
export const HALT_NO_FW_CFG = 2;
export const HALT_NO_KERNEL = 3;
export const HALT_KERNEL_LOAD = 4;
