// Real guest programs run in-thread and on a vCPU worker: same results, same device accesses, same counters.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachine, type Machine } from '../src/machine.js';
import type { VcpuMode } from '../src/vcpu/outcome.js';
import { DEFAULT_OUT, readResults } from './guests/layout.js';
import { createRecorder, type Recorder } from './support/recorder-device.js';

// A worker starts in ~0.3–1.5 s from TypeScript source (tsx registers its loader thread in every worker).
vi.setConfig({ testTimeout: 60_000 });

const guest = (name: string): URL => new URL(`./guests/${name}`, import.meta.url);
const MODES: readonly VcpuMode[] = ['in-thread', 'worker'];

const machines: Machine[] = [];
afterEach(async () => {
  for (const m of machines.splice(0)) await m.quit();
});

function setUp(): { machine: Machine; rec: Recorder } {
  const rec = createRecorder();
  const machine = createMachine({ devices: [rec], ramBytes: 1 << 20 });
  machines.push(machine);
  return { machine, rec };
}

// Hand-derived from the little-endian register file of the recorder and the bus rules (comments in port-io.ts).
const PORT_IO_RESULTS = [
  0x44, 0x11, 0x2233, 0x11223344, 0xbeef, 0xff, 0xa1b2, 0xffffffff, 0xa1b2, 0xff, 0xffff, 0xffffffff, 0x5a, 0xffff,
  0xffffffff, 0x44, 23,
];

const MMIO_RESULTS = [
  0xef, 0xdead, 0x89abcdef, 0x01234567, 0x01234567, 0x2345, 0xffffffff, 0xffffffff, 0xffffffff, 0xff, 0xffffffff,
  0xffffffff, 0x12345678, 0xffff, 0xffffffff, 0xffffffff, 0x0000beef, 0x0000feed, 0x0000feed, 0xffff, 0xffffffff,
  0xffffffff, 0xffffffff, 0xff, 1, 1, 25,
];

describe.each(MODES)('guest programs, %s', (mode) => {
  it('port I/O of each width, unassigned ports, a byte-only port and DX masking', async () => {
    const { machine, rec } = setUp();
    const outcome = await machine.runGuest(guest('port-io.ts'), {}, { mode });
    expect(outcome).toEqual({ kind: 'returned', exits: 23 });
    expect(readResults(machine.ram.bytes)).toEqual(PORT_IO_RESULTS);
    expect(rec.log.map((a) => `${a.kind} ${a.offset}/${a.size} ${a.value.toString(16)}`)).toEqual([
      'w 0/4 11223344',
      'r 0/1 44',
      'r 3/1 11',
      'r 1/2 2233',
      'r 0/4 11223344',
      'w 4/2 beef',
      'r 4/4 beef',
      'w 8/1 ff',
      'r 8/1 ff',
      'w 12/4 a1b2c3d4',
      'r 14/2 a1b2',
      'r 14/2 a1b2',
      'r 0/1 44',
    ]);
    const io = machine.stats().io;
    expect(io.devices.recorder).toEqual({ reads: 9, writes: 4 });
    expect(io.devices['recorder-narrow']).toEqual({ reads: 1, writes: 0 });
    expect([io.unassignedReads, io.unassignedWrites, io.invalidAccesses, io.faults]).toEqual([3, 1, 5, 0]);
    expect(machine.stats().vcpus).toEqual([{ index: 0, mode, exits: 23, state: 'done' }]);
  });

  it('MMIO of 1, 2, 4 and 8 bytes, above 4 GiB, unassigned and invalid addresses, wrong widths', async () => {
    const { machine } = setUp();
    const outcome = await machine.runGuest(guest('mmio.ts'), {}, { mode });
    expect(outcome).toEqual({ kind: 'returned', exits: 25 });
    expect(readResults(machine.ram.bytes)).toEqual(MMIO_RESULTS);
    const mmio = machine.stats().mmio;
    expect(mmio.devices['recorder-mmio']).toEqual({ reads: 6, writes: 4 });
    expect(mmio.devices['recorder-mmio-high']).toEqual({ reads: 2, writes: 1 });
    expect([mmio.unassignedReads, mmio.unassignedWrites, mmio.invalidAccesses]).toEqual([7, 1, 3]);
  });

  it('shares RAM with the host and with DMA devices', async () => {
    const { machine, rec } = setUp();
    machine.ram.write(0x3000, Uint8Array.of(0x0d, 0xf0, 0xfe, 0xca));
    const outcome = await machine.runGuest(guest('ram.ts'), { hostAt: 0x3000, buf: 0x2000 }, { mode });
    expect(outcome.kind).toBe('returned');
    // Bytes 1, 4, 7, … (i*3+1); the device writes their complements 16 bytes later: ~1 = 0xfe, ~4 = 0xfb, ….
    expect(readResults(machine.ram.bytes)).toEqual([1 << 20, 0xcafef00d, 0xf5f8fbfe, 0xd1d4d7da]);
    expect([...rec.dmaSeen[0]]).toEqual(Array.from({ length: 16 }, (_, i) => i * 3 + 1));
    expect(machine.ram.bytes[(1 << 20) - 1]).toBe(0x77);
  });

  it('halts with a code and takes no exit after halting, even when the guest catches the halt', async () => {
    const { machine, rec } = setUp();
    const outcome = await machine.runGuest(guest('halt.ts'), { code: 42 }, { mode });
    expect(outcome).toEqual({ kind: 'halted', code: 42, exits: 1 });
    expect(rec.doorbells).toBe(1);
  });

  it('reports a guest exception without crashing the host', async () => {
    const { machine, rec } = setUp();
    const outcome = await machine.runGuest(guest('throw.ts'), { tag: 'x1' }, { mode });
    expect(outcome.kind).toBe('threw');
    if (outcome.kind !== 'threw') return;
    expect(outcome.error.name).toBe('RangeError');
    expect(outcome.error.message).toBe('guest bug x1');
    expect(outcome.exits).toBe(1);
    expect(rec.doorbells).toBe(1);
    const plain = await machine.runGuest(guest('throw.ts'), { kind: 'string' }, { mode });
    expect(plain).toMatchObject({ kind: 'threw', error: { message: 'guest threw string: plain string' } });
    const hostile = await machine.runGuest(guest('throw.ts'), { kind: 'hostile' }, { mode });
    expect(hostile).toMatchObject({ kind: 'threw', error: { message: 'guest threw an object whose properties cannot be read' } });
  });

  it('reports a module without a default export, and a missing module', async () => {
    const { machine } = setUp();
    const bad = await machine.runGuest(guest('no-default.ts'), {}, { mode });
    expect(bad).toMatchObject({ kind: 'threw', exits: 0 });
    if (bad.kind === 'threw') expect(bad.error.message).toMatch(/does not default-export a function/);
    const missing = await machine.runGuest(guest('does-not-exist.ts'), {}, { mode });
    expect(missing).toMatchObject({ kind: 'threw', exits: 0 });
  });

  it('ends when the guest returns, even if it left a timer running', async () => {
    const { machine } = setUp();
    expect(await machine.runGuest(guest('linger.ts'), {}, { mode })).toEqual({ kind: 'returned', exits: 1 });
  });

  it('runs the same loop to the same counters', async () => {
    const { machine, rec } = setUp();
    const outcome = await machine.runGuest(guest('loop.ts'), { count: 1000 }, { mode });
    expect(outcome).toEqual({ kind: 'returned', exits: 1000 });
    expect(rec.doorbells).toBe(1000);
    expect(machine.stats().io.devices['recorder-doorbell']).toEqual({ reads: 0, writes: 1000 });
  });
});

describe('results do not depend on the mode', () => {
  it('gives identical RAM results and logs for port-io and mmio', async () => {
    const runs: string[] = [];
    for (const mode of MODES) {
      for (const name of ['port-io.ts', 'mmio.ts']) {
        const { machine, rec } = setUp();
        await machine.runGuest(guest(name), {}, { mode });
        runs.push(JSON.stringify([readResults(machine.ram.bytes, DEFAULT_OUT), rec.log.map((a) => String(a.value))]));
      }
    }
    expect(runs.slice(2)).toEqual(runs.slice(0, 2));
  });
});
