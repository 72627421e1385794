// A test device: little-endian byte registers on ports and MMIO, a DMA doorbell, a timestamp port, an access log.
import type { Clock } from '@unitrace/core';
import type { Device, DeviceContext } from '../../src/devices/device.js';
import type { AccessSize } from '../../src/io/handlers.js';
import type { GuestMemory } from '../../src/memory/guest-memory.js';
import { REC } from '../guests/layout.js';

/** One access as the device saw it. */
export interface Access {
  readonly bus: 'io' | 'mmio';
  readonly kind: 'r' | 'w';
  readonly offset: number;
  readonly size: AccessSize;
  readonly value: number | bigint;
}

/** The recorder device with its observable state. */
export interface Recorder extends Device {
  /** Every access in order (when logging is on). */
  readonly log: Access[];
  /** Accesses of the doorbell port: how far a looping guest got. */
  doorbells: number;
  /** Host ns at each write of the timestamp port. */
  readonly stamps: number[];
  /** What each DMA doorbell read from guest RAM. */
  readonly dmaSeen: Uint8Array[];
  /** Byte registers of the port window and the MMIO window. */
  readonly ioRegs: Uint8Array;
  readonly mmioRegs: Uint8Array;
  resets: number;
}

/** Reads `size` bytes of `regs` at `offset` as a little-endian value (bigint for 8 bytes). */
function getLE(regs: Uint8Array, offset: number, size: AccessSize): number | bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(regs[offset + i]);
  return size === 8 ? v : Number(v);
}

/** Stores `value` as `size` little-endian bytes of `regs` at `offset`. */
function putLE(regs: Uint8Array, offset: number, size: AccessSize, value: number | bigint): void {
  let v = BigInt(value);
  for (let i = 0; i < size; i++) {
    regs[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Creates a recorder; `clock` stamps the timestamp port (the machine's host clock). */
export function createRecorder(options: { log?: boolean; clock?: Clock } = {}): Recorder {
  const logOn = options.log ?? true;
  let memory: GuestMemory | undefined;
  const rec: Recorder = {
    name: 'recorder',
    log: [],
    doorbells: 0,
    stamps: [],
    dmaSeen: [],
    ioRegs: new Uint8Array(REC.IO_LENGTH),
    mmioRegs: new Uint8Array(REC.MMIO_LENGTH),
    resets: 0,
    attach(ctx: DeviceContext): void {
      memory = ctx.memory;
      const clock = options.clock ?? ctx.tracer.clock;
      const note = (bus: Access['bus'], kind: Access['kind'], offset: number, size: AccessSize, value: number | bigint): void => {
        if (logOn) rec.log.push({ bus, kind, offset, size, value });
      };
      ctx.io.register(REC.IO_BASE, REC.IO_LENGTH, 'recorder', {
        sizes: [1, 2, 4],
        read(offset, size) {
          const v = getLE(rec.ioRegs, offset, size);
          note('io', 'r', offset, size, v);
          return v;
        },
        write(offset, size, value) {
          note('io', 'w', offset, size, value);
          putLE(rec.ioRegs, offset, size, value);
        },
      });
      ctx.io.register(REC.NARROW_PORT, 1, 'recorder-narrow', { sizes: [1], read: () => 0x5a, write: () => {} });
      ctx.io.register(REC.DOORBELL_PORT, 1, 'recorder-doorbell', {
        sizes: [1, 2, 4],
        read: () => rec.doorbells,
        write: () => {
          rec.doorbells++;
        },
      });
      ctx.io.register(REC.STAMP_PORT, 1, 'recorder-stamp', {
        sizes: [1],
        write: () => {
          rec.stamps.push(clock.nowNs());
        },
      });
      ctx.io.register(REC.DMA_PORT, 4, 'recorder-dma', {
        sizes: [4],
        write(_offset, _size, value) {
          // The guest wrote an address: read 16 bytes there, then write their bitwise complement at address + 16.
          const seen = memory!.read(value as number, 16);
          if (seen === undefined) return;
          rec.dmaSeen.push(seen);
          memory!.write((value as number) + 16, seen.map((b) => ~b & 0xff));
        },
      });
      ctx.mmio.register(REC.MMIO_BASE, REC.MMIO_LENGTH, 'recorder-mmio', {
        sizes: [1, 2, 4, 8],
        read(offset, size) {
          const v = getLE(rec.mmioRegs, offset, size);
          note('mmio', 'r', offset, size, v);
          return v;
        },
        write(offset, size, value) {
          note('mmio', 'w', offset, size, value);
          putLE(rec.mmioRegs, offset, size, value);
        },
      });
      const high = new Uint8Array(8);
      ctx.mmio.register(REC.MMIO_HIGH, 8, 'recorder-mmio-high', {
        sizes: [4, 8],
        read: (offset, size) => getLE(high, offset, size),
        write: (offset, size, value) => putLE(high, offset, size, value),
      });
      ctx.mmio.register(REC.MMIO_NARROW, 4, 'recorder-mmio-narrow', { sizes: [4], read: () => 0x1234_5678, write: () => {} });
    },
    reset(): void {
      rec.resets++;
      rec.ioRegs.fill(0);
      rec.mmioRegs.fill(0);
    },
  };
  return rec;
}
