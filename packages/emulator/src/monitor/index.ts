// The monitor's public names, for the package index to re-export.
export { createHmp } from './hmp.js';
export type { Hmp, HmpOptions } from './hmp.js';
export { createHmpCompleter } from './hmp-complete.js';
export type { RemoteCompletionInfo } from './hmp-complete.js';
export { startQmpServer } from './qmp-server.js';
export type { QmpServer, QmpServerOptions } from './qmp-server.js';
export { connectQmp, QmpError } from './qmp-client.js';
export type { ConnectQmpOptions, QmpClient, QmpEvent, QmpGreeting } from './qmp-client.js';
export { parseMonitorAddress, formatMonitorAddress, isLoopbackHost } from './monitor-address.js';
export type { MonitorAddress } from './monitor-address.js';
export { registrySources, NO_LOSSES } from './target.js';
export type {
  MonitorTarget,
  RunState,
  RunStateChange,
  ShutdownCause,
  TraceFileControl,
  TraceSinkStatus,
  TraceSourceStatus,
  TraceSourceLosses,
  HandshakeState,
} from './target.js';
export { DEFAULT_MONITOR_VERSION, UNITRACE_VERSION } from './version.js';
export type { MonitorVersion } from './version.js';
