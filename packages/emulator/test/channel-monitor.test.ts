// The monitor's view of a real machine (createMachineMonitor): run state and its transitions, the trace-file
// controls when given, vCPU count, and a status for every source, served by its channel when it has one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachineMonitor } from '../src/machine-monitor.js';
import type { RunStateChange, TraceFileControl } from '../src/monitor/target.js';
import { channelRig, quitRigs } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

const fakeFile: TraceFileControl = {
  traceFile: () => ({ name: 'trace-1', on: false }),
  setTraceFileEnabled() {},
  setTraceFile() {},
  flush: async () => {},
};

describe('createMachineMonitor', () => {
  it('follows the machine: state changes, stop, cont, quit', async () => {
    const rig = channelRig('pc');
    const target = createMachineMonitor(rig.machine);
    const changes: RunStateChange[] = [];
    target.onStateChange((c) => changes.push(c));
    expect(target.runState()).toBe('running');
    await target.stop();
    expect(target.runState()).toBe('paused');
    await target.cont();
    await target.quit();
    expect(changes).toEqual([
      { from: 'running', to: 'paused' },
      { from: 'paused', to: 'running' },
      { from: 'running', to: 'shutdown', cause: 'host-qmp-quit' },
    ]);
    expect(target.registry).toBe(rig.registry);
    expect(target.traceFile).toBeUndefined();
    expect(createMachineMonitor(rig.machine, { traceFile: fakeFile }).traceFile).toBe(fakeFile);
  });

  it('counts vCPUs and reports every source, from its channel when it has one', async () => {
    const rig = channelRig('pc');
    const target = createMachineMonitor(rig.machine);
    expect(target.cpuCount).toBe(1);
    await rig.machine.runGuest(new URL('./guests/halt.ts', import.meta.url), {}, { mode: 'in-thread' });
    await rig.machine.runGuest(new URL('./guests/halt.ts', import.meta.url), {}, { mode: 'in-thread' });
    expect(target.cpuCount).toBe(2);
    const [host, fw, kernel] = target.traceSources();
    expect(host).toEqual({
      name: 'host',
      kind: 'host',
      firstId: 0n,
      count: rig.registry.sources[0].events.length,
      handshake: 'none',
      hostHash: rig.registry.sources[0].hash,
      losses: { guestBuffer: 0, rejected: 0, sequenceGaps: 0, sinkDrops: 0 },
    });
    expect(fw).toMatchObject({ name: 'fw', channel: 'fw_cfg', handshake: 'none', firstId: 0x8000_0000_0000_0000n, count: 4, records: 0 });
    expect(kernel).toMatchObject({ name: 'kernel', channel: 'hypercall', handshake: 'none', firstId: 0x8000_0001_0000_0000n });
  });
});
