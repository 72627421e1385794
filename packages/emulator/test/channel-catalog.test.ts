// A guest built from another catalog: refused loudly on both sides without names; with names, accepted by name,
// its known events rebased to the host's ids and the event the host does not know reported, rejected and counted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachineMonitor } from '../src/machine-monitor.js';
import { channelEvents, channelRig, quitRigs, recordsOf, sdkGuest } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

/** Decodes the guest's results: state, reason, unknown count, status text, exits of its shutdown. */
function decode(results: number[]): { state: number; reason: number; unknown: number; text: string; shutdownExits: number } {
  const [state, reason, unknown, n, ...rest] = results;
  return { state, reason, unknown, text: String.fromCharCode(...rest.slice(0, n)), shutdownExits: rest[n] };
}

const FW_BASE = 0x8000_0000_0000_0000n;

describe.each(['in-thread', 'worker'] as const)('another catalog, guest %s', (mode) => {
  it('is refused without names: guest status, host tracepoint, query-trace-sources; nothing is sent', async () => {
    const rig = channelRig('pc');
    const outcome = await rig.machine.runGuest(sdkGuest('channel-plus'), { ...rig.args, names: false }, { mode });
    expect(outcome.kind).toBe('returned');
    rig.tracer.deliver();
    const guest = decode(rig.results());
    const hostHash = rig.registry.source('fw')!.hash;
    expect(guest).toMatchObject({ state: 3, reason: 4, unknown: 0, shutdownExits: 0 });
    expect(guest.text).toMatch(/^refused \(catalog mismatch\): host catalog [0-9a-f]{16}, guest [0-9a-f]{16}; no event names sent/);
    expect(guest.text).toContain(hostHash.slice(0, 16));
    const [refused] = channelEvents(rig.sink, 'guest_channel_refused');
    expect(refused).toMatchObject({ source: 'fw', channel: 'fw_cfg', host_hash: hostHash });
    expect(refused.guest_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(refused.guest_hash).not.toBe(hostHash);
    const status = createMachineMonitor(rig.machine).traceSources().find((s) => s.name === 'fw');
    expect(status).toMatchObject({ handshake: 'refused', channel: 'fw_cfg', hostHash, guestHash: refused.guest_hash, records: 0 });
    expect(status?.detail).toBe(guest.text);
    expect(recordsOf(rig.sink, 'fw')).toEqual([]);
    expect(rig.fw.stats()).toMatchObject({ batches: 0, handshakes: 1, refusals: 1 });
  });

  it('is accepted by name with names: known events rebased, the unknown one reported and its records counted', async () => {
    const rig = channelRig('pc');
    const outcome = await rig.machine.runGuest(sdkGuest('channel-plus'), rig.args, { mode });
    expect(outcome.kind).toBe('returned');
    rig.tracer.deliver();
    const guest = decode(rig.results());
    expect(guest).toMatchObject({ state: 2, reason: 0, unknown: 1, shutdownExits: 1 });
    expect(guest.text).toMatch(/^accepted by name: 4 known, unknown: fw_extra; host catalog/);
    // The guest's fw_value is its local 2; on the host it is local 1. Ids are the host's, never the guest's.
    expect(recordsOf(rig.sink, 'fw')).toEqual([
      { name: 'fw_boot', args: { stage: 2, what: 'plus' }, id: FW_BASE },
      { name: 'fw_value', args: { v: 9n, delta: 1 }, id: FW_BASE + 1n },
      { name: 'fw_tick', args: {}, id: FW_BASE + 2n },
    ]);
    expect(channelEvents(rig.sink, 'guest_channel_unknown_event')).toEqual([{ source: 'fw', local_id: 1, name: 'fw_extra' }]);
    expect(channelEvents(rig.sink, 'guest_channel_accepted_by_name')).toMatchObject([{ known: 4, unknown: 1 }]);
    expect(rig.fw.stats()).toMatchObject({ accepted: 3, rejected: 3, unknown: 3 });
    expect(rig.sink.droppedTotal()).toBe(3);
    const status = createMachineMonitor(rig.machine).traceSources().find((s) => s.name === 'fw');
    expect(status).toMatchObject({ handshake: 'mapped-by-name', unknownEvents: ['fw_extra'], records: 3, losses: { rejected: 3 } });
  });
});
