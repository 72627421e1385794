// Public face of @unitrace/emulator: explicit named exports only.
export { createMachine, Machine } from './machine.js';
export type {
  MachineOptions,
  RunGuestOptions,
  MachineStats,
  RunState,
  MachineStateChange,
  MachineShutdownCause,
} from './machine.js';
export type { GuestOutcome, VcpuMode, VcpuStats } from './vcpu/outcome.js';
export type { GuestErrorInfo } from './vcpu/exit-protocol.js';

export {
  PC_BOARD,
  VIRT_BOARD,
  BOARDS,
  boardByName,
  FW_CFG_IO_SELECTOR,
  FW_CFG_IO_DATA,
  FW_CFG_IO_CTL_DATA_LENGTH,
  FW_CFG_IO_DMA,
  FW_CFG_DMA_LENGTH,
  FW_CFG_VIRT_BASE,
  FW_CFG_VIRT_SIZE,
  FW_CFG_MMIO_DATA_OFFSET,
  FW_CFG_MMIO_SELECTOR_OFFSET,
  FW_CFG_MMIO_DMA_OFFSET,
  FW_CFG_VIRT_DATA_WIDTH,
} from './boards.js';
export type { Board, BoardName, FwCfgPlacement, FwCfgPortPlacement, FwCfgMmioPlacement } from './boards.js';

export { createGuestClock, attachGuestClock, DEFAULT_TSC_HZ, MAX_TSC_HZ } from './guest-clock.js';
export type { GuestClock, GuestClockOptions } from './guest-clock.js';
export { createRam, DEFAULT_RAM_BYTES, MAX_RAM_BYTES } from './memory/ram.js';
export type { Ram } from './memory/ram.js';
export type { GuestMemory } from './memory/guest-memory.js';
export { createIoBus, IoBus, IO_PORT_COUNT } from './io/io-bus.js';
export type { IoBusOptions } from './io/io-bus.js';
export { createMmioBus, MmioBus, MMIO_ADDRESS_LIMIT } from './io/mmio-bus.js';
export type { MmioBusOptions } from './io/mmio-bus.js';
export type { AccessHandlers, AccessSize, Bus } from './io/handlers.js';
export type { Device, DeviceContext } from './devices/device.js';

export {
  bindTraceEvents as bindEmulatorTraceEvents,
  CATALOG_HASH as EMULATOR_CATALOG_HASH,
  EVENT_NAMES as EMULATOR_EVENT_NAMES,
} from './generated/trace.js';
export type { TraceEvents as EmulatorTraceEvents } from './generated/trace.js';
export { TRACE_EVENTS_TEXT as EMULATOR_TRACE_EVENTS } from './generated/trace-catalog.js';
export { createPrivateTracer } from './machine-support.js';

export {
  createFwCfg,
  FW_CFG_OPT_WARNING,
  checkUserItem,
  parseFwCfgOption,
  FW_CFG_ARCH_LOCAL,
  FW_CFG_BOOT_MENU,
  FW_CFG_CMDLINE_DATA,
  FW_CFG_CMDLINE_SIZE,
  FW_CFG_DMA_CTL_ERROR,
  FW_CFG_DMA_CTL_READ,
  FW_CFG_DMA_CTL_SELECT,
  FW_CFG_DMA_CTL_SKIP,
  FW_CFG_DMA_CTL_WRITE,
  FW_CFG_DMA_DESC_SIZE,
  FW_CFG_DMA_SIGNATURE,
  FW_CFG_ENTRY_MASK,
  FW_CFG_FILE_DIR,
  FW_CFG_FILE_FIRST,
  FW_CFG_FILE_SLOTS_DFLT,
  FW_CFG_FILE_SLOTS_MAX,
  FW_CFG_FILE_SLOTS_MIN,
  FW_CFG_ID,
  FW_CFG_INVALID,
  FW_CFG_MAX_CPUS,
  FW_CFG_MAX_FILE_PATH,
  FW_CFG_NB_CPUS,
  FW_CFG_NOGRAPHIC,
  FW_CFG_RAM_SIZE,
  FW_CFG_SIGNATURE,
  FW_CFG_UUID,
  FW_CFG_VERSION,
  FW_CFG_VERSION_DMA,
  FW_CFG_WRITE_CHANNEL,
  fwCfgKeyName,
} from './devices/fw-cfg/index.js';
export type {
  FwCfgDevice,
  FwCfgOptions,
  FwCfgRegisters,
  FwCfgFileInfo,
  FwCfgFileOptions,
  FwCfgWriteCallback,
  FwCfgTrace,
  FwCfgUserItem,
} from './devices/fw-cfg/index.js';

export {
  createHmp,
  createHmpCompleter,
  startQmpServer,
  connectQmp,
  QmpError,
  parseMonitorAddress,
  formatMonitorAddress,
  isLoopbackHost,
  registrySources,
  NO_LOSSES,
  DEFAULT_MONITOR_VERSION,
  UNITRACE_VERSION,
} from './monitor/index.js';
export type {
  Hmp,
  HmpOptions,
  RemoteCompletionInfo,
  QmpServer,
  QmpServerOptions,
  ConnectQmpOptions,
  QmpClient,
  QmpEvent,
  QmpGreeting,
  MonitorAddress,
  MonitorTarget,
  RunStateChange,
  ShutdownCause,
  TraceFileControl,
  TraceSinkStatus,
  TraceSourceStatus,
  TraceSourceLosses,
  HandshakeState,
  MonitorVersion,
} from './monitor/index.js';

export {
  createFwCfgChannel,
  createHypercallChannel,
  CHANNEL_ABI_VERSION,
  HANDSHAKE_BYTES,
  STATUS_BYTES,
  BATCH_HEADER_BYTES,
  MAILBOX_BYTES,
  HYPERCALL_PC_PORT,
  HYPERCALL_VIRT_BASE,
  DEFAULT_RECORDS_BYTES,
  DEFAULT_NAMES_BYTES,
  MAX_GUEST_EVENTS,
} from './channels/index.js';
export type {
  FwCfgChannel,
  FwCfgChannelOptions,
  HypercallChannel,
  HypercallChannelOptions,
  TraceChannel,
  ChannelStats,
  ChannelTrace,
} from './channels/index.js';
export { createMachineMonitor } from './machine-monitor.js';
export type { MachineMonitorOptions } from './machine-monitor.js';
export { Ut32Fault } from './vcpu/isa/fault.js';
export type { Ut32FaultKind } from './vcpu/isa/fault.js';
