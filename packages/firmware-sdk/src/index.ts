// Public face of @unitrace/firmware-sdk: guest code that traces through the Cpu interface only.
export { initTracing } from './init.js';
export type { InitTracingOptions } from './init.js';
export { createGuestTracer, GuestTracer } from './tracer/guest-tracer.js';
export type { GuestTracerOptions, GuestTracerStats } from './tracer/guest-tracer.js';
export { RecordEncoder } from './tracer/record-encoder.js';
export type { GuestSource } from './tracer/source.js';
export type { RamRegion, TracerLayout } from './tracer/layout.js';
export { carveLayout } from './tracer/layout.js';
export type { ChannelState, ChannelStatus } from './tracer/status.js';
export { readStatus } from './tracer/status.js';
export { fwCfgTransport } from './transport/fw-cfg-transport.js';
export type { FwCfgTransportOptions } from './transport/fw-cfg-transport.js';
export { hypercallTransport } from './transport/hypercall-transport.js';
export type { HypercallTransportOptions } from './transport/hypercall-transport.js';
export type { Transport, TransportLink } from './transport/transport.js';
export { openFwCfg, FwCfgClient } from './fw-cfg/client.js';
export type { FwCfgBoard, FwCfgClientOptions, FwCfgFile } from './fw-cfg/client.js';
export {
  CHANNEL_ABI_VERSION,
  HANDSHAKE_BYTES,
  STATUS_BYTES,
  BATCH_HEADER_BYTES,
  GUEST_RECORD_HEADER_BYTES,
  MIN_BATCH_BYTES,
  MAILBOX_BYTES,
  HYPERCALL_PC_PORT,
  HYPERCALL_VIRT_BASE,
} from '@unitrace/core/channel-abi';
export { assemble, MAX_IMAGE_BYTES } from './asm/assembler.js';
export type { AssembleOptions, AssembledImage } from './asm/assembler.js';
