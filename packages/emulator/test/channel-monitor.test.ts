// The monitor's view of a real machine (createMachineMonitor): run state and its transitions, the trace-file
// controls when given, vCPU count, a status for every source, served by its channel when it has one, and every sink
// of the machine's tracer with what reached it and what it lost.
import type { RecordBatch, Sink } from '@unitrace/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachineMonitor } from '../src/machine-monitor.js';
import type { RunStateChange, TraceFileControl } from '../src/monitor/target.js';
import { channelRig, quitRigs, sdkGuest } from './channel-fixture.js';

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
      losses: { guestBuffer: 0, rejected: 0, sequenceGaps: 0, gapRecords: 0 },
    });
    expect(fw).toMatchObject({ name: 'fw', channel: 'fw_cfg', handshake: 'none', firstId: 0x8000_0000_0000_0000n, count: 4, records: 0 });
    expect(kernel).toMatchObject({ name: 'kernel', channel: 'hypercall', handshake: 'none', firstId: 0x8000_0001_0000_0000n });
  });

  it('lists every sink of the machine\'s tracer: records it got, records lost when its write threw', async () => {
    const rig = channelRig('pc');
    let writes = 0;
    const broken: Sink = {
      name: 'broken',
      describe() {},
      write(batch: RecordBatch) {
        writes += batch.count;
        throw new Error('disk on fire');
      },
      dropped() {},
      flush: async () => {},
      close: async () => {},
    };
    rig.tracer.addSink(broken);
    const outcome = await rig.machine.runGuest(sdkGuest('channel-basic'), rig.args, { mode: 'worker' });
    expect(outcome.kind).toBe('returned');
    rig.tracer.deliver();
    const sinks = createMachineMonitor(rig.machine).traceSinks!();
    expect(sinks.map((s) => s.name)).toEqual(['memory', 'broken']);
    const [memory, failing] = sinks;
    // What the in-memory sink holds is what was delivered to it; it keeps its own counters too.
    expect(memory).toMatchObject({ delivered: rig.sink.records.length, lost: 0, failures: 0 });
    expect(memory.own).toMatchObject({ records: rig.sink.records.length, dropped: 0 });
    // Every record handed to the throwing sink is lost, and it keeps no counters of its own.
    expect(writes).toBeGreaterThan(0);
    expect(failing).toMatchObject({ delivered: 0, lost: writes, own: undefined });
    expect(failing.failures).toBeGreaterThan(0);
  });
});
