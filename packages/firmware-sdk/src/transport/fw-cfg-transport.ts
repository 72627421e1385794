// The default transport: fw_cfg items under opt/unitrace/<source>/, one DMA write per batch.
import type { Cpu } from '@unitrace/core';
import { FW_CFG_ITEM_PREFIX, HANDSHAKE_BYTES, STATUS_BYTES, TRANSPORT_FW_CFG } from '@unitrace/core/channel-abi';
import { type FwCfgBoard, openFwCfg } from '../fw-cfg/client.js';
import type { TracerLayout } from '../tracer/layout.js';
import type { Transport, TransportLink } from './transport.js';

/** Options of `fwCfgTransport`. */
export interface FwCfgTransportOptions {
  /** `pc` (ports 0x510..), `virt` (MMIO), or `auto` (default): probe pc, then virt. */
  readonly board?: FwCfgBoard;
  /** MMIO base on virt-style boards (default 0x09020000). */
  readonly mmioBase?: number;
}

/** The fw_cfg transport: signature, DMA feature, directory walk, then the source's items. */
export function fwCfgTransport(options: FwCfgTransportOptions = {}): Transport {
  return {
    name: 'fw-cfg',
    open(cpu: Cpu, source: string, layout: TracerLayout): TransportLink | string {
      const fw = openFwCfg(cpu, { board: options.board, mmioBase: options.mmioBase, descriptor: layout.descriptor });
      if (!fw) return 'no fw_cfg device (no QEMU signature)';
      if (!fw.dma) return 'fw_cfg has no DMA interface';
      // The batch buffer is free until the channel is up: the directory is read through it.
      const files = fw.files({ address: layout.batch, bytes: layout.batchBytes });
      const item = (name: string) => files.find((f) => f.name === `${FW_CFG_ITEM_PREFIX}${source}/${name}`);
      const hs = item('handshake');
      const status = item('status');
      const records = item('records');
      const names = item('names');
      if (!hs || !status || !records) return `no fw_cfg items for source ${source}`;
      return {
        kind: 'batch',
        code: TRANSPORT_FW_CFG,
        maxBatch: records.size,
        namesCapacity: names?.size ?? 0,
        handshake(l: TracerLayout, namesBytes: number): void {
          if (namesBytes > 0 && names) fw.dmaWrite(names.key, l.names, namesBytes);
          fw.dmaWrite(hs.key, l.handshake, HANDSHAKE_BYTES);
          if (!fw.dmaRead(status.key, l.status, STATUS_BYTES)) cpu.ram.fill(0, l.status, l.status + STATUS_BYTES);
        },
        sendBatch: (address: number, length: number): boolean => fw.dmaWrite(records.key, address, length),
        doorbell(): void {},
      };
    },
  };
}
