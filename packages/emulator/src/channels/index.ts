// The guest trace channels' public names, for the package index to re-export.
export { createFwCfgChannel } from './fw-cfg-channel.js';
export type { FwCfgChannel, FwCfgChannelOptions } from './fw-cfg-channel.js';
export { createHypercallChannel } from './hypercall-channel.js';
export type { HypercallChannel, HypercallChannelOptions } from './hypercall-channel.js';
export type { TraceChannel } from './channel.js';
export type { ChannelStats } from './counters.js';
export type { ChannelTrace } from './trace.js';
export {
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
} from '@unitrace/core/channel-abi';
