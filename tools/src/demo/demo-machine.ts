// The demo machine: a board with fw_cfg filled the way QEMU fills it for `-kernel … -append …`, a trace channel for
// every guest source of the catalog, and the tracer the whole machine writes to.
import type { Tracer } from '@unitrace/core';
import {
  type BoardName,
  type FwCfgDevice,
  type FwCfgUserItem,
  type Machine,
  FW_CFG_CMDLINE_DATA,
  FW_CFG_CMDLINE_SIZE,
  FW_CFG_NB_CPUS,
  FW_CFG_RAM_SIZE,
  type TraceChannel,
  bindEmulatorTraceEvents,
  createFwCfg,
  createFwCfgChannel,
  createHypercallChannel,
  createMachine,
} from '@unitrace/emulator';
import type { AssembledImage } from '@unitrace/firmware-sdk';

/** fw_cfg keys of a `-kernel` boot that the emulator index does not name (spec §9.3). */
export const FW_CFG_KERNEL_ADDR = 0x07;
export const FW_CFG_KERNEL_SIZE = 0x08;
export const FW_CFG_KERNEL_ENTRY = 0x10;
export const FW_CFG_KERNEL_DATA = 0x11;
export const FW_CFG_CMDLINE_ADDR = 0x13;

/** Where the firmware is told to put the kernel command line (fw_cfg CMDLINE_ADDR). */
export const CMDLINE_ADDRESS = 0x0002_0000;
/** The demo kernel's command line: the scheduler's task and tick counts. */
export const DEFAULT_CMDLINE = 'console=hypercall tasks=3 ticks=6';
/** QEMU's boot order for a `-kernel` boot (the linuxboot option ROM first), as the `bootorder` file holds it. */
export const DEMO_BOOT_ORDER = '/rom@genroms/linuxboot_dma.bin\n/pci@i0cf8/ide@1,1/drive@0/disk@0\nHALT';
/** The guest source that a kernel traces as; it is served by the hypercall port, every other guest by fw_cfg. */
export const KERNEL_SOURCE = 'kernel';

/** Options of `createDemoMachine`. */
export interface DemoMachineOptions {
  /** The tracer every device, channel and the machine write to; its registry's guest sources get channels. */
  readonly tracer: Tracer;
  readonly board?: BoardName;
  /** Start in `prelaunch` (QEMU `-S`). */
  readonly startPaused?: boolean;
  readonly ramBytes?: number;
  /** The kernel image to hand the firmware through the `-kernel` keys (none: no kernel items). */
  readonly kernel?: AssembledImage;
  /** The kernel command line (`-append`), only with a kernel. */
  readonly cmdline?: string;
  /** `-fw_cfg` user items. */
  readonly userItems?: readonly FwCfgUserItem[];
  /** Configuration warnings (a user item outside `opt/`). */
  readonly onWarning?: (message: string) => void;
}

/** A built demo machine. */
export interface DemoMachine {
  readonly machine: Machine;
  readonly fwCfg: FwCfgDevice;
  /** One channel per guest source, in registry order. */
  readonly channels: readonly TraceChannel[];
}

/**
 * Builds the machine (not running anything yet). Throws TraceError for bad options (E_USAGE), an unreadable user
 * item (E_IO), or a guest source name that cannot name fw_cfg items.
 */
export function createDemoMachine(options: DemoMachineOptions): DemoMachine {
  const board = options.board ?? 'pc';
  const tracer = options.tracer;
  // The machine's own tracepoints, so that the items added below are traced as QEMU traces its fw_cfg_add_*.
  const fwCfg = createFwCfg({ variant: board === 'pc' ? 'io' : 'mmio', trace: bindEmulatorTraceEvents(tracer), onWarning: options.onWarning });
  const ramBytes = options.ramBytes ?? 32 * 1024 * 1024;
  fwCfg.addU64(FW_CFG_RAM_SIZE, BigInt(ramBytes));
  fwCfg.addU16(FW_CFG_NB_CPUS, 1);
  fwCfg.addFile('bootorder', new TextEncoder().encode(`${DEMO_BOOT_ORDER}\0`));
  fwCfg.addFile('etc/boot-fail-wait', Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  if (options.kernel) {
    const image = options.kernel;
    fwCfg.addU32(FW_CFG_KERNEL_ADDR, image.origin);
    fwCfg.addU32(FW_CFG_KERNEL_SIZE, image.bytes.length);
    fwCfg.addU32(FW_CFG_KERNEL_ENTRY, image.entry);
    fwCfg.addBytes(FW_CFG_KERNEL_DATA, image.bytes);
    const cmdline = new TextEncoder().encode(`${options.cmdline ?? DEFAULT_CMDLINE}\0`);
    fwCfg.addU32(FW_CFG_CMDLINE_ADDR, CMDLINE_ADDRESS);
    fwCfg.addU32(FW_CFG_CMDLINE_SIZE, cmdline.length);
    fwCfg.addBytes(FW_CFG_CMDLINE_DATA, cmdline);
  }
  for (const item of options.userItems ?? []) fwCfg.addUserItem(item);

  const channels: TraceChannel[] = tracer.registry.sources
    .filter((s) => s.kind === 'guest')
    .map((s) => (s.name === KERNEL_SOURCE ? createHypercallChannel({ source: s.name }) : createFwCfgChannel({ fwCfg, source: s.name })));
  const machine = createMachine({
    board,
    tracer,
    ramBytes,
    startPaused: options.startPaused ?? false,
    devices: [fwCfg, ...channels],
  });
  return { machine, fwCfg, channels };
}
