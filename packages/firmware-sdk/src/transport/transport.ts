// How the tracer reaches the host: fw_cfg DMA batches or the hypercall port, behind one interface.
import type { Cpu } from '@unitrace/core';
import type { TracerLayout } from '../tracer/layout.js';

/** A channel found on the machine, ready for a handshake. */
export interface TransportLink {
  /** `batch`: whole batches, one exit each (fw_cfg). `single`: one record per exit through the mailbox (hypercall). */
  readonly kind: 'batch' | 'single';
  /** TRANSPORT_FW_CFG or TRANSPORT_HYPERCALL: what the handshake block says. */
  readonly code: number;
  /** The largest batch the host accepts, header included (0 for `single`). */
  readonly maxBatch: number;
  /** Bytes of names the host can take (0: names cannot be sent). */
  readonly namesCapacity: number;
  /**
   * Sends the handshake block already written at `layout.handshake` (and first the `namesBytes` of names at
   * `layout.names`, when there are any), then leaves the host's status block at `layout.status`.
   */
  handshake(layout: TracerLayout, namesBytes: number): void;
  /** Sends `length` bytes of batch at `address` in one exit; false when the device reported an error. */
  sendBatch(address: number, length: number): boolean;
  /** Rings the doorbell for local event `id` (its record is in the mailbox), one exit. */
  doorbell(id: number): void;
}

/** A way to reach the host. `open` probes for the device and the source's channel; it may take several exits. */
export interface Transport {
  /** `fw-cfg` or `hypercall`. */
  readonly name: string;
  /** The link, or a one-line reason why this machine has no channel for `source`. */
  open(cpu: Cpu, source: string, layout: TracerLayout): TransportLink | string;
}
