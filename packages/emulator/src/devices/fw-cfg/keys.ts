// fw_cfg wire constants: well-known keys, selector bits, DMA control bits and sizes (spec §9.1–§9.5).

/** Key 0x00: 4 bytes `QEMU`. */
export const FW_CFG_SIGNATURE = 0x00;
/** Key 0x01: u32 LE feature bitmap (FW_CFG_VERSION, FW_CFG_VERSION_DMA). */
export const FW_CFG_ID = 0x01;
/** Key 0x02: 16-byte VM UUID. */
export const FW_CFG_UUID = 0x02;
/** Key 0x03: u64 LE RAM size. */
export const FW_CFG_RAM_SIZE = 0x03;
/** Key 0x04: u16 LE, 1 when graphics are disabled. */
export const FW_CFG_NOGRAPHIC = 0x04;
/** Key 0x05: u16 LE boot CPU count. */
export const FW_CFG_NB_CPUS = 0x05;
/** Key 0x06: board-specific machine id. */
export const FW_CFG_MACHINE_ID = 0x06;
/** Key 0x07: u32 LE kernel load address. */
export const FW_CFG_KERNEL_ADDR = 0x07;
/** Key 0x08: u32 LE kernel size. */
export const FW_CFG_KERNEL_SIZE = 0x08;
/** Key 0x09: legacy kernel command line. */
export const FW_CFG_KERNEL_CMDLINE = 0x09;
/** Key 0x0a: u32 LE initrd address. */
export const FW_CFG_INITRD_ADDR = 0x0a;
/** Key 0x0b: u32 LE initrd size. */
export const FW_CFG_INITRD_SIZE = 0x0b;
/** Key 0x0c: u16 LE legacy boot drive letter. */
export const FW_CFG_BOOT_DEVICE = 0x0c;
/** Key 0x0d: NUMA description. */
export const FW_CFG_NUMA = 0x0d;
/** Key 0x0e: u16 LE boot menu flag. */
export const FW_CFG_BOOT_MENU = 0x0e;
/** Key 0x0f: u16 LE maximum CPU count. */
export const FW_CFG_MAX_CPUS = 0x0f;
/** Key 0x10: u32 LE kernel entry point. */
export const FW_CFG_KERNEL_ENTRY = 0x10;
/** Key 0x11: kernel image bytes. */
export const FW_CFG_KERNEL_DATA = 0x11;
/** Key 0x12: initrd bytes. */
export const FW_CFG_INITRD_DATA = 0x12;
/** Key 0x13: u32 LE command line address. */
export const FW_CFG_CMDLINE_ADDR = 0x13;
/** Key 0x14: u32 LE command line size, NUL included. */
export const FW_CFG_CMDLINE_SIZE = 0x14;
/** Key 0x15: NUL-terminated command line. */
export const FW_CFG_CMDLINE_DATA = 0x15;
/** Key 0x16: u32 LE setup address (x86 Linux boot). */
export const FW_CFG_SETUP_ADDR = 0x16;
/** Key 0x17: u32 LE setup size. */
export const FW_CFG_SETUP_SIZE = 0x17;
/** Key 0x18: setup bytes. */
export const FW_CFG_SETUP_DATA = 0x18;
/** Key 0x19: the big-endian file directory (§9.4), maintained by the device. */
export const FW_CFG_FILE_DIR = 0x19;
/** Key 0x20: first named file; directory entry i has key FW_CFG_FILE_FIRST + i. */
export const FW_CFG_FILE_FIRST = 0x20;

/** Selector bit 15: the architecture-specific table. */
export const FW_CFG_ARCH_LOCAL = 0x8000;
/** Selector bit 14: legacy write flag, ignored when selecting. */
export const FW_CFG_WRITE_CHANNEL = 0x4000;
/** Mask giving the entry index of a selector. */
export const FW_CFG_ENTRY_MASK = 0x3fff;
/** The current-entry value of a selection that is out of range; every read returns 0. */
export const FW_CFG_INVALID = 0xffff;

/** FW_CFG_ID bit 0: the traditional interface (always set). */
export const FW_CFG_VERSION = 0x01;
/** FW_CFG_ID bit 1: the DMA interface exists. */
export const FW_CFG_VERSION_DMA = 0x02;

/** Default number of file slots (keys 0x20–0x3F). */
export const FW_CFG_FILE_SLOTS_DFLT = 0x20;
/** Smallest allowed number of file slots (machines ≤ 2.8). */
export const FW_CFG_FILE_SLOTS_MIN = 0x10;
/** Largest allowed number of file slots: the last key is then FW_CFG_ENTRY_MASK. */
export const FW_CFG_FILE_SLOTS_MAX: number = FW_CFG_ENTRY_MASK - FW_CFG_FILE_FIRST + 1;
/** Size of the selector register. */
export const FW_CFG_CTL_SIZE = 2;
/** Size of a directory name field, NUL included; names have at most 55 bytes. */
export const FW_CFG_MAX_FILE_PATH = 56;
/** Size of the signature item. */
export const FW_CFG_SIG_SIZE = 4;
/** Size of one directory entry: size u32, select u16, reserved u16, name[56]. */
export const FW_CFG_FILE_ENTRY_SIZE = 64;

/** DMA control bit 0: error (output). */
export const FW_CFG_DMA_CTL_ERROR = 0x01;
/** DMA control bit 1: read from the item into guest RAM. */
export const FW_CFG_DMA_CTL_READ = 0x02;
/** DMA control bit 2: advance the item offset without copying. */
export const FW_CFG_DMA_CTL_SKIP = 0x04;
/** DMA control bit 3: select the key in bits 31..16 first. */
export const FW_CFG_DMA_CTL_SELECT = 0x08;
/** DMA control bit 4: write guest RAM into a writable item. */
export const FW_CFG_DMA_CTL_WRITE = 0x10;
/** The DMA register reads as these bytes, big-endian: `QEMU CFG`. */
export const FW_CFG_DMA_SIGNATURE: bigint = 0x51454d5520434647n;
/** Size of the DMA descriptor in guest RAM: control u32, length u32, address u64, all big-endian. */
export const FW_CFG_DMA_DESC_SIZE = 16;

/** x86 architecture keys (bit 15 set). */
export const FW_CFG_ACPI_TABLES = 0x8000;
/** x86: SMBIOS entries. */
export const FW_CFG_SMBIOS_ENTRIES = 0x8001;
/** x86: u32 IRQ0 override flag. */
export const FW_CFG_IRQ0_OVERRIDE = 0x8002;
/** x86: HPET configuration. */
export const FW_CFG_HPET = 0x8004;

/** Port placement on x86 pc/q35/microvm: selector and data at 0x510/0x511, DMA at 0x514. */
export const FW_CFG_IO_BASE = 0x510;
/** MMIO placement on arm `virt`: data +0, selector +8, DMA +16. */
export const FW_CFG_MMIO_BASE_ARM_VIRT = 0x09020000;

// QEMU's trace-name table, including its "initdr_size" typo so traces compare byte for byte.
const WELL_KNOWN_NAMES: readonly (string | undefined)[] = [
  'signature',
  'id',
  'uuid',
  'ram_size',
  'nographic',
  'nb_cpus',
  'machine_id',
  'kernel_addr',
  'kernel_size',
  'kernel_cmdline',
  'initrd_addr',
  'initdr_size',
  'boot_device',
  'numa',
  'boot_menu',
  'max_cpus',
  'kernel_entry',
  'kernel_data',
  'initrd_data',
  'cmdline_addr',
  'cmdline_size',
  'cmdline_data',
  'setup_addr',
  'setup_size',
  'setup_data',
  'file_dir',
];

const X86_ARCH_NAMES: ReadonlyMap<number, string> = new Map([
  [FW_CFG_ACPI_TABLES, 'acpi_tables'],
  [FW_CFG_SMBIOS_ENTRIES, 'smbios_entries'],
  [FW_CFG_IRQ0_OVERRIDE, 'irq0_override'],
  [FW_CFG_HPET, 'hpet'],
]);

/** Which architecture table names arch-local keys in traces: x86 on the port variant, none on `virt`. */
export type FwCfgArchNames = 'x86' | 'none';

/**
 * The name QEMU's `fw_cfg_select`/`fw_cfg_add_bytes` tracepoints print for a key: the well-known table for keys
 * below 0x20 (the key as given, so bit 14 makes it unknown), the architecture table for bit 15, else "unknown".
 * Must not name file keys: QEMU does not, and their numbering changes.
 */
export function fwCfgKeyName(key: number, arch: FwCfgArchNames = 'none'): string {
  if (key & FW_CFG_ARCH_LOCAL) return (arch === 'x86' ? X86_ARCH_NAMES.get(key) : undefined) ?? 'unknown';
  if (key < FW_CFG_FILE_FIRST) return WELL_KNOWN_NAMES[key] ?? 'unknown';
  return 'unknown';
}
