// Test double: a transport whose "host" answers the handshake from a script and keeps every batch it is sent.
import type { Cpu } from '@unitrace/core';
import type { Transport, TransportLink, TracerLayout } from '../../src/index.js';

/** What the fake host does and saw. */
export interface FakeHost {
  readonly transport: Transport;
  /** Copies of every batch, in order. */
  readonly batches: Uint8Array[];
  /** Copies of the handshake blocks and names bytes received. */
  readonly handshakes: Uint8Array[];
  readonly names: Uint8Array[];
  /** Doorbell ids rung (single mode), with copies of the mailbox at each. */
  readonly doorbells: Array<{ id: number; mailbox: Uint8Array }>;
  /** Whether the next sendBatch fails (the device's ERROR bit). */
  failNext: boolean;
}

/** Options of the fake host. */
export interface FakeHostOptions {
  readonly kind?: 'batch' | 'single';
  /** `accepted` (default), `refused`, or `absent` (open fails). */
  readonly answer?: 'accepted' | 'refused' | 'absent';
  readonly maxBatch?: number;
  /** State bits the host writes into the state page on acceptance (default all ones). */
  readonly stateByte?: number;
  readonly namesCapacity?: number;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** Creates the fake host. It writes a status block as channel-abi.md lays it out. */
export function createFakeHost(options: FakeHostOptions = {}): FakeHost {
  const host: FakeHost = {
    batches: [],
    handshakes: [],
    names: [],
    doorbells: [],
    failNext: false,
    transport: {
      name: 'fake',
      open(cpu: Cpu, _source: string, layout: TracerLayout): TransportLink | string {
        if (options.answer === 'absent') return 'no such device';
        const kind = options.kind ?? 'batch';
        return {
          kind,
          code: kind === 'batch' ? 1 : 2,
          maxBatch: kind === 'batch' ? (options.maxBatch ?? 16384) : 0,
          namesCapacity: options.namesCapacity ?? 16384,
          handshake(l: TracerLayout, namesBytes: number): void {
            host.handshakes.push(cpu.ram.slice(l.handshake, l.handshake + 96));
            host.names.push(cpu.ram.slice(l.names, l.names + namesBytes));
            const v = cpu.ramView;
            const s = l.status;
            cpu.ram.fill(0, s, s + 256);
            v.setUint32(s, 0x54535455, true);
            v.setUint16(s + 4, 1, true);
            const refused = options.answer === 'refused';
            v.setUint16(s + 6, refused ? 3 : 1, true);
            v.setUint16(s + 8, refused ? 4 : 0, true);
            const text = refused ? 'refused (catalog mismatch): test' : 'accepted: test';
            v.setUint16(s + 10, text.length, true);
            cpu.ram.set(ascii(text), s + 128);
            if (!refused) cpu.ram.fill(options.stateByte ?? 0xff, l.statePage, l.statePage + l.stateBytes);
          },
          sendBatch(address: number, length: number): boolean {
            if (host.failNext) {
              host.failNext = false;
              return false;
            }
            host.batches.push(cpu.ram.slice(address, address + length));
            return true;
          },
          doorbell(id: number): void {
            host.doorbells.push({ id, mailbox: cpu.ram.slice(layout.mailbox, layout.mailbox + 64) });
            cpu.ramView.setUint32(layout.mailbox + 12, 0, true);
          },
        };
      },
    },
  };
  return host;
}

/** A decoded batch: header fields and each record's id, timestamp, length, pid and payload. */
export interface DecodedBatch {
  readonly seq: number;
  readonly count: number;
  readonly bytes: number;
  readonly dropped: number;
  readonly first: number;
  readonly records: Array<{ id: number; ts: number; len: number; pid: number; payload: number[] }>;
}

/** Decodes a batch by the ABI tables (independently of the SDK's encoder). */
export function decodeBatch(b: Uint8Array): DecodedBatch {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint32(0, true) !== 0x54425455) throw new Error('bad magic');
  const count = v.getUint32(8, true);
  const records: DecodedBatch['records'] = [];
  let o = 32;
  for (let i = 0; i < count; i++) {
    const len = v.getUint32(o + 16, true);
    records.push({
      id: Number(v.getBigUint64(o, true)),
      ts: Number(v.getBigUint64(o + 8, true)),
      len,
      pid: v.getUint32(o + 20, true),
      payload: [...b.subarray(o + 24, o + len)],
    });
    o += len;
  }
  return {
    seq: v.getUint32(4, true),
    count,
    bytes: v.getUint32(12, true),
    dropped: v.getUint32(16, true),
    first: Number(v.getBigUint64(24, true)),
    records,
  };
}
