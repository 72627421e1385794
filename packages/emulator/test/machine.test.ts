// Building a machine, its tracepoints, device faults, several vCPUs, and the guest clock on the host time axis.
import { createRegistry, createTracer, catalogFromText, isTraceError } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device, DeviceContext } from '../src/devices/device.js';
import { createMachine, type Machine, type MachineOptions } from '../src/machine.js';
import { createPrivateTracer } from '../src/machine-support.js';
import type { VcpuMode } from '../src/vcpu/outcome.js';
import { REC } from './guests/layout.js';
import { createRecorder } from './support/recorder-device.js';

vi.setConfig({ testTimeout: 60_000 });

const guest = (name: string): URL => new URL(`./guests/${name}`, import.meta.url);
const machines: Machine[] = [];
afterEach(async () => {
  for (const m of machines.splice(0)) await m.quit();
});
function make(options: MachineOptions): Machine {
  const m = createMachine({ ramBytes: 1 << 20, ...options });
  machines.push(m);
  return m;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isTraceError(err) ? err.code : 'not a TraceError';
  }
  return undefined;
}

describe('createMachine', () => {
  it('refuses bad options with E_USAGE', () => {
    expect(code(() => createMachine({ ramBytes: 0 }))).toBe('E_USAGE');
    expect(code(() => createMachine({ ramBytes: 2 ** 30 + 1 }))).toBe('E_USAGE');
    expect(code(() => createMachine({ tscHz: 1234 }))).toBe('E_USAGE');
    expect(code(() => createMachine({ board: 'q35' as 'pc' }))).toBe('E_USAGE');
  });

  it('attaches devices in order with the full context, then resets them all', () => {
    const events: string[] = [];
    let seen: DeviceContext | undefined;
    const dev = (name: string): Device => ({
      name,
      attach: (ctx) => {
        seen = ctx;
        events.push(`attach ${name}`);
      },
      reset: () => events.push(`reset ${name}`),
    });
    const m = make({ devices: [dev('a'), dev('b')], board: 'virt' });
    expect(events).toEqual(['attach a', 'attach b', 'reset a', 'reset b']);
    expect(seen!.board.name).toBe('virt');
    expect(seen!.memory).toBe(m.ram);
    expect(seen!.io).toBe(m.io);
    expect(seen!.mmio).toBe(m.mmio);
    expect(seen!.clock).toBe(m.clock);
    expect(seen!.tracer).toBe(m.tracer);
    expect(seen!.trace).toBe(m.trace);
    expect(m.state).toBe('running');
    expect(m.ram.size).toBe(1 << 20);
  });

  it('refuses overlapping devices and duplicate names with E_STATE', () => {
    expect(code(() => createMachine({ devices: [createRecorder(), createRecorder()] }))).toBe('E_STATE');
    const claim = (name: string): Device => ({
      name,
      attach: (ctx) => ctx.io.register(REC.IO_BASE + 8, 1, name, { sizes: [1] }),
      reset: () => {},
    });
    expect(code(() => createMachine({ devices: [createRecorder(), claim('other')] }))).toBe('E_STATE');
  });

  it('defaults to the pc board, 32 MiB and a 1 GHz clock', () => {
    const m = make({ ramBytes: undefined });
    expect([m.board.name, m.ram.size, m.clock.hz]).toEqual(['pc', 32 * 1024 * 1024, 1e9]);
  });
});

describe('tracing', () => {
  it('binds to a given tracer of the emulator catalog and refuses one of another catalog', () => {
    const tracer = createPrivateTracer();
    expect(make({ tracer }).tracer).toBe(tracer);
    const other = catalogFromText('other_event(int x) "%d"\n', 'other/trace-events');
    const foreign = createTracer({ registry: createRegistry(other), exitFlush: false });
    expect(code(() => createMachine({ tracer: foreign }))).toBe('E_CATALOG_MISMATCH');
  });

  it.each<VcpuMode>(['in-thread', 'worker'])('traces state changes, vCPUs and unassigned accesses (%s)', async (mode) => {
    const m = make({ devices: [createRecorder({ log: false })], startPaused: true });
    const sink = new InMemorySink();
    m.tracer.addSink(sink);
    m.tracer.registry.enable('machine_*');
    m.tracer.registry.enable('vcpu_*');
    m.tracer.registry.enable('io_unassigned_*');
    const done = m.runGuest(guest('port-io.ts'), {}, { mode });
    m.cont();
    await done;
    m.reset();
    m.tracer.deliver();
    const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
    const lines = sink.records.map((r) => `${r.name} ${json(r.args)}`);
    expect(lines).toEqual([
      'machine_state_change {"from":"prelaunch","to":"running"}',
      `vcpu_start {"index":0,"mode":"${mode}"}`,
      'io_unassigned_read {"port":1023,"size":1}',
      'io_unassigned_read {"port":1023,"size":2}',
      'io_unassigned_read {"port":1023,"size":4}',
      'io_unassigned_write {"port":1023,"size":1,"value":1}',
      'vcpu_return {"index":0,"exits":23}',
      'machine_reset {}',
    ]);
  });
});

describe('device faults', () => {
  it.each<VcpuMode>(['in-thread', 'worker'])('are counted, reported and answered with all ones (%s)', async (mode) => {
    const reported: string[] = [];
    const buggy: Device = {
      name: 'buggy',
      attach: (ctx) =>
        ctx.io.register(REC.DOORBELL_PORT, 1, 'buggy', {
          sizes: [1],
          write: () => {
            throw new Error('device bug');
          },
        }),
      reset: () => {},
    };
    const m = make({ devices: [buggy], onDeviceFault: (err, dev) => reported.push(`${dev}: ${(err as Error).message}`) });
    const outcome = await m.runGuest(guest('loop.ts'), { count: 3 }, { mode });
    expect(outcome).toEqual({ kind: 'returned', exits: 3 });
    expect(reported).toEqual(['buggy: device bug', 'buggy: device bug', 'buggy: device bug']);
    expect(m.stats().io.faults).toBe(3);
  });
});

describe('several vCPUs', () => {
  it('counts exits per vCPU while two workers run at once', async () => {
    const rec = createRecorder({ log: false });
    const m = make({ devices: [rec] });
    const [a, b] = await Promise.all([
      m.runGuest(guest('loop.ts'), { count: 3000 }),
      m.runGuest(guest('loop.ts'), { count: 5000 }),
    ]);
    expect([a, b]).toEqual([
      { kind: 'returned', exits: 3000 },
      { kind: 'returned', exits: 5000 },
    ]);
    expect(m.stats().vcpus.map((v) => [v.index, v.exits, v.state])).toEqual([
      [0, 3000, 'done'],
      [1, 5000, 'done'],
    ]);
    expect(rec.doorbells).toBe(8000);
  });

  it('rejects args a worker cannot receive with E_USAGE', async () => {
    const m = make({});
    await expect(m.runGuest(guest('loop.ts'), { fn: () => 1 })).rejects.toSatisfy((e: unknown) => isTraceError(e, 'E_USAGE'));
  });
});

describe('guest clock on the host time axis', () => {
  it.each<VcpuMode>(['in-thread', 'worker'])('puts rdtsc values within a small bound of host time (%s)', async (mode) => {
    const rec = createRecorder({ log: false });
    const m = make({ devices: [rec], tscHz: 2_400_000_000 });
    const at = 0x808;
    const rounds = 20;
    const outcome = await m.runGuest(guest('rdtsc.ts'), { at, rounds }, { mode });
    expect(outcome.kind).toBe('returned');
    const view = new DataView(m.ram.buffer);
    expect(view.getFloat64(at - 8, true)).toBe(2_400_000_000);
    // in-thread reads the host clock itself (bound 0); a worker's calibration is off by at most a few µs.
    const bound = mode === 'in-thread' ? 0 : 20_000;
    for (let i = 0; i < rounds; i++) {
      const before = view.getFloat64(at + 16 * i, true);
      const after = view.getFloat64(at + 16 * i + 8, true);
      const stamp = rec.stamps[i];
      expect(after).toBeGreaterThanOrEqual(before);
      // `before` was read before the exit was serviced, `after` after it: the stamp lies between them.
      expect(m.clock.toHostNs(before)).toBeLessThanOrEqual(stamp + bound);
      expect(m.clock.toHostNs(after + 1)).toBeGreaterThan(stamp - bound);
    }
  });
});
