// The machine's run states with real worker guests: stop/cont, -S, quit, reset, and a responsive event loop.
import { isTraceError } from '@unitrace/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachine, type Machine, type MachineStateChange } from '../src/machine.js';
import { createRecorder, type Recorder } from './support/recorder-device.js';
import { sleep, until } from './support/wait.js';

vi.setConfig({ testTimeout: 60_000 });

const guest = (name: string): URL => new URL(`./guests/${name}`, import.meta.url);

const machines: Machine[] = [];
afterEach(async () => {
  for (const m of machines.splice(0)) await m.quit();
});

function setUp(startPaused = false): { machine: Machine; rec: Recorder; changes: MachineStateChange[] } {
  const rec = createRecorder({ log: false });
  const machine = createMachine({ devices: [rec], ramBytes: 1 << 20, startPaused });
  const changes: MachineStateChange[] = [];
  machine.onStateChange((c) => changes.push(c));
  machines.push(machine);
  return { machine, rec, changes };
}

describe('stop and cont', () => {
  it('freezes a worker guest looping on port I/O while paused, and resumes it', async () => {
    const { machine, rec, changes } = setUp();
    const done = machine.runGuest(guest('loop.ts'));
    await until(() => rec.doorbells > 200, 'the guest to ring');
    machine.stop();
    expect(machine.state).toBe('paused');
    const frozen = rec.doorbells;
    const exits = machine.stats().vcpus[0].exits;
    await sleep(150);
    expect(rec.doorbells).toBe(frozen);
    expect(machine.stats().vcpus[0].exits).toBe(exits);
    expect(machine.stats().io.devices['recorder-doorbell'].writes).toBe(frozen);
    machine.cont();
    await until(() => rec.doorbells > frozen + 200, 'the guest to ring again');
    await machine.quit();
    const outcome = await done;
    expect(outcome.kind).toBe('terminated');
    expect(outcome.exits).toBe(rec.doorbells);
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['running>paused', 'paused>running', 'running>shutdown']);
    expect(changes[2].cause).toBe('host-qmp-quit');
  });

  it('starts a machine created paused (-S) only at cont: the guest runs no instruction before', async () => {
    const { machine, rec, changes } = setUp(true);
    expect(machine.state).toBe('prelaunch');
    const done = machine.runGuest(guest('marker.ts'), { at: 0x800 });
    await until(() => machine.stats().vcpus[0].state === 'ready', 'the vCPU to be ready');
    await sleep(50);
    expect(new DataView(machine.ram.buffer).getUint32(0x800, true)).toBe(0);
    expect(rec.doorbells).toBe(0);
    machine.cont();
    expect(await done).toEqual({ kind: 'returned', exits: 1 });
    expect(new DataView(machine.ram.buffer).getUint32(0x800, true)).toBe(0x600dcafe);
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['prelaunch>running']);
  });

  it('holds an in-thread guest until cont, and stop from prelaunch gives paused', async () => {
    const { machine, rec } = setUp(true);
    machine.stop();
    expect(machine.state).toBe('paused');
    const done = machine.runGuest(guest('loop.ts'), { count: 5 }, { mode: 'in-thread' });
    await sleep(20);
    expect(rec.doorbells).toBe(0);
    machine.cont();
    expect(await done).toEqual({ kind: 'returned', exits: 5 });
  });
});

describe('quit', () => {
  it('terminates a worker busy on port I/O and one busy without exits', async () => {
    const { machine, rec } = setUp();
    const looping = machine.runGuest(guest('loop.ts'));
    const spinning = machine.runGuest(guest('spin.ts'));
    await until(() => rec.doorbells > 10 && machine.stats().vcpus[1].exits === 1, 'both guests to run');
    await machine.quit();
    expect(machine.state).toBe('shutdown');
    expect((await looping).kind).toBe('terminated');
    expect(await spinning).toEqual({ kind: 'terminated', exits: 1 });
    expect(machine.stats().vcpus.map((v) => v.state)).toEqual(['done', 'done']);
    await expect(machine.runGuest(guest('loop.ts'))).rejects.toSatisfy((e: unknown) => isTraceError(e, 'E_STATE'));
    expect(() => machine.cont()).toThrow(/shut down/);
  });

  it('ends a prelaunch worker that never ran', async () => {
    const { machine } = setUp(true);
    const done = machine.runGuest(guest('marker.ts'), { at: 0x800 });
    await until(() => machine.stats().vcpus[0].state === 'ready', 'the vCPU to be ready');
    await machine.quit();
    expect(await done).toEqual({ kind: 'terminated', exits: 0 });
  });
});

describe('reset', () => {
  it('resets every device and the guest clock, and running guests go on', async () => {
    const { machine, rec } = setUp();
    expect(rec.resets).toBe(1);
    rec.ioRegs[0] = 9;
    // A 5 ms timer can fire a fraction of a millisecond early (libuv rounds its loop time): wait until 5 ms have
    // passed on the host clock, which the guest clock (started before `start`) follows.
    const start = performance.now();
    while (performance.now() - start < 5) await sleep(1);
    const before = machine.clock.ticks();
    machine.reset();
    expect(rec.resets).toBe(2);
    expect(rec.ioRegs[0]).toBe(0);
    // 1 GHz: 5 ms of uptime is ≥ 5e6 ticks; right after the reset the clock reads far less.
    expect(before).toBeGreaterThanOrEqual(5_000_000);
    expect(machine.clock.ticks()).toBeLessThan(before);
    expect(machine.state).toBe('running');
  });
});

describe('the event loop stays responsive', () => {
  it('runs timers and immediates while a worker guest takes 100k exits', async () => {
    const { machine, rec } = setUp();
    const timerSaw: number[] = [];
    const immediateSaw: number[] = [];
    const timer = setInterval(() => timerSaw.push(rec.doorbells), 1);
    let immediates = true;
    const tick = (): void => {
      immediateSaw.push(rec.doorbells);
      if (immediates) setImmediate(tick);
    };
    setImmediate(tick);
    const outcome = await machine.runGuest(guest('loop.ts'), { count: 100_000 });
    clearInterval(timer);
    immediates = false;
    expect(outcome).toEqual({ kind: 'returned', exits: 100_000 });
    const during = (seen: number[]): number => seen.filter((n) => n > 0 && n < 100_000).length;
    expect(during(timerSaw)).toBeGreaterThan(0);
    expect(during(immediateSaw)).toBeGreaterThan(0);
  });
});
