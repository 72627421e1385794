// Switching a guest event off on the host (registry, or a monitor over QMP) rewrites the guest's state page: the
// guest stops sending it, and calling it costs no exit, while the enabled event still goes out in batches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachineMonitor } from '../src/machine-monitor.js';
import { connectQmp } from '../src/monitor/qmp-client.js';
import { startQmpServer } from '../src/monitor/qmp-server.js';
import { type ChannelRig, channelEvents, channelRig, quitRigs, recordsOf, sdkGuest } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

/** Runs the toggle guest; `toggle` switches fw_value off once the guest has traced its first records. */
async function runToggle(rig: ChannelRig, mode: 'in-thread' | 'worker', toggle: () => Promise<void> | void): Promise<number[]> {
  const done = rig.machine.runGuest(sdkGuest('channel-toggle'), rig.args, { mode });
  await rig.waitFlag(0, 1);
  await toggle();
  rig.setFlag(1, 1);
  const outcome = await done;
  expect(outcome.kind).toBe('returned');
  rig.tracer.deliver();
  return rig.results();
}

function expectToggled(rig: ChannelRig, results: number[]): void {
  const [valueOn, tickOn, valueExits, tickExits] = results;
  expect([valueOn, tickOn]).toEqual([0, 1]);
  // A thousand calls of the disabled event: not one exit. A thousand enabled 24-byte records fill batches of
  // 4064 bytes (169 each), so they take exits: the count can move, and does when the event is on.
  expect(valueExits).toBe(0);
  expect(tickExits).toBe(5);
  const names = recordsOf(rig.sink, 'fw').map((r) => r.name);
  expect(names.filter((n) => n === 'fw_value').length).toBe(10);
  expect(names.filter((n) => n === 'fw_tick').length).toBe(1010);
  // The guest sent nothing for the disabled event (the host had nothing to filter).
  expect(rig.fw.stats()).toMatchObject({ filtered: 0, rejected: 0 });
  const pages = channelEvents(rig.sink, 'guest_channel_state_page').map((e) => e.enabled);
  expect(pages.slice(-2)).toEqual([4, 3]);
}

describe.each(['in-thread', 'worker'] as const)('a registry toggle, guest %s', (mode) => {
  it('reaches the guest before its next check', async () => {
    const rig = channelRig('pc');
    const results = await runToggle(rig, mode, () => {
      rig.registry.setState(rig.registry.lookup('fw_value')!.index, false);
    });
    expectToggled(rig, results);
  });
});

describe('a monitor toggle over QMP', () => {
  it('switches a guest event off on a running worker guest, and query-trace-sources shows the channel', async () => {
    const rig = channelRig('virt');
    const dir = mkdtempSync(join(tmpdir(), 'unitrace-channel-qmp-'));
    const server = await startQmpServer(createMachineMonitor(rig.machine), { unix: join(dir, 'qmp.sock') });
    const qmp = await connectQmp(server.address);
    try {
      const results = await runToggle(rig, 'worker', async () => {
        await qmp.execute('trace-event-set-state', { name: 'fw_value', enable: false });
      });
      expectToggled(rig, results);
      const sources = (await qmp.execute('query-trace-sources')) as Array<Record<string, unknown>>;
      expect(sources.map((s) => [s.name, s.handshake, s.channel])).toEqual([
        ['host', 'none', undefined],
        ['fw', 'accepted', 'fw_cfg'],
        ['kernel', 'none', 'hypercall'],
      ]);
      expect(sources[1]).toMatchObject({ records: 1020, 'first-id': '0x8000000000000000', 'last-id': '0x8000000000000003' });
    } finally {
      await qmp.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
