// The hypercall transport, for kernels: a 16-byte register window and a mailbox in guest RAM; one exit per record.
import type { Cpu } from '@unitrace/core';
import {
  HC_DOORBELL,
  HC_HANDSHAKE,
  HC_SIGNATURE,
  HYPERCALL_PC_PORT,
  HYPERCALL_SIGNATURE,
  HYPERCALL_VIRT_BASE,
  TRANSPORT_HYPERCALL,
} from '@unitrace/core/channel-abi';
import type { TracerLayout } from '../tracer/layout.js';
import type { Transport, TransportLink } from './transport.js';

/** Options of `hypercallTransport`. */
export interface HypercallTransportOptions {
  /** `pc` (ports), `virt` (MMIO), or `auto` (default): probe the port, then the MMIO window. */
  readonly board?: 'pc' | 'virt' | 'auto';
  /** First port on pc (default 0x5A0). */
  readonly port?: number;
  /** MMIO base on virt (default 0x09100000). */
  readonly mmioBase?: number;
  /** Bytes of names the host reads (must not exceed the host's names capacity, 16 KiB by default). */
  readonly namesCapacity?: number;
}

/** The hypercall transport: the host finds the handshake block, names, mailbox and status block in guest RAM. */
export function hypercallTransport(options: HypercallTransportOptions = {}): Transport {
  return {
    name: 'hypercall',
    open(cpu: Cpu): TransportLink | string {
      const board = options.board ?? 'auto';
      const port = options.port ?? HYPERCALL_PC_PORT;
      const mmio = options.mmioBase ?? HYPERCALL_VIRT_BASE;
      let write: ((offset: number, value: number) => void) | undefined;
      if (board !== 'virt' && cpu.inl(port + HC_SIGNATURE) === HYPERCALL_SIGNATURE) {
        write = (offset, value) => cpu.outl(port + offset, value);
      } else if (board !== 'pc' && cpu.mmioRead(mmio + HC_SIGNATURE, 4) === HYPERCALL_SIGNATURE) {
        write = (offset, value) => cpu.mmioWrite(mmio + offset, 4, value);
      }
      if (!write) return 'no hypercall device (no UTHC signature)';
      const w = write;
      return {
        kind: 'single',
        code: TRANSPORT_HYPERCALL,
        maxBatch: 0,
        namesCapacity: options.namesCapacity ?? 16384,
        handshake: (l: TracerLayout): void => w(HC_HANDSHAKE, l.handshake),
        sendBatch: (): boolean => false,
        doorbell: (id: number): void => w(HC_DOORBELL, id),
      };
    },
  };
}
