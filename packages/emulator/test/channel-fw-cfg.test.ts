// Firmware built with the SDK boots on a real machine (pc ports, virt MMIO; in-thread and on a worker), finds fw_cfg
// by signature, DMA bit and directory, handshakes, and traces: its records reach the sink with guest-range ids, on
// the host time axis, with the values it sent. A reset or a new handshake starts the sequence over.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelEvents, channelRig, quitRigs, recordsOf, sdkGuest } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

const FW_BASE = 0x8000_0000_0000_0000n;

describe.each([
  ['pc', 'in-thread'],
  ['pc', 'worker'],
  ['virt', 'in-thread'],
  ['virt', 'worker'],
] as const)('fw_cfg channel on %s, guest %s', (board, mode) => {
  it('carries the firmware records into the host trace', async () => {
    const rig = channelRig(board);
    const start = rig.tracer.clock.nowNs();
    const outcome = await rig.machine.runGuest(sdkGuest('channel-basic'), { ...rig.args, board: 'auto' }, { mode });
    const end = rig.tracer.clock.nowNs();
    rig.tracer.deliver();
    expect(outcome.kind).toBe('returned');
    // Accepted; 304 records sent; none dropped. Batches hold 4064 bytes of records: the first four records take
    // 41 + 40 + 24 + 28 = 133 bytes, leaving room for 98 fw_value records of 40; then 101 and 101: three batches.
    expect(rig.results()).toEqual([1, 304, 0, 3]);
    const fw = recordsOf(rig.sink, 'fw');
    expect(fw.length).toBe(304);
    expect(fw.slice(0, 4)).toEqual([
      { name: 'fw_boot', args: { stage: 1, what: 'hello' }, id: FW_BASE },
      { name: 'fw_value', args: { v: 0x1122334455667788n, delta: -5 }, id: FW_BASE + 1n },
      { name: 'fw_tick', args: {}, id: FW_BASE + 2n },
      { name: 'fw_note', args: { msg: '' }, id: FW_BASE + 3n },
    ]);
    expect(fw.slice(4).map((r) => [r.args.v, r.args.delta])).toEqual(Array.from({ length: 300 }, (_, i) => [BigInt(i), i === 0 ? 0 : -i]));
    const guest = rig.sink.records.filter((r) => r.source === 'fw');
    for (const r of guest) {
      expect(r.timestampNs).toBeGreaterThanOrEqual(start);
      expect(r.timestampNs).toBeLessThanOrEqual(end);
      // The raw guest clock is kept, and maps to the record's host time exactly.
      expect(r.guestClock).toBeDefined();
      expect(rig.machine.clock.toHostNs(r.guestClock!)).toBe(r.timestampNs);
    }
    const stamps = guest.map((r) => r.guestClock!);
    expect(stamps).toEqual([...stamps].sort((x, y) => x - y));
    expect(rig.fw.stats()).toMatchObject({ accepted: 304, rejected: 0, filtered: 0, batches: 3, handshakes: 1, clamped: 0 });
    expect(rig.sink.drops).toEqual([]);
    const [accepted] = channelEvents(rig.sink, 'guest_channel_accepted');
    expect(accepted).toEqual({ source: 'fw', channel: 'fw_cfg', hash: rig.registry.source('fw')!.hash, count: 4 });
  });
});

describe('restarting the channel', () => {
  it('a new handshake, and a machine reset, start the sequence over', async () => {
    const rig = channelRig('pc');
    const run = () => rig.machine.runGuest(sdkGuest('channel-basic'), rig.args, { mode: 'in-thread' });
    await run();
    await run(); // a second boot handshakes again: batch 0 is expected again, not a replay
    rig.machine.reset();
    expect(rig.fw.sourceStatus()).toMatchObject({ handshake: 'none' });
    await run();
    rig.tracer.deliver();
    expect(recordsOf(rig.sink, 'fw').length).toBe(3 * 304);
    expect(rig.fw.stats()).toMatchObject({ accepted: 912, rejected: 0, batchesRejected: 0, gapBatches: 0, handshakes: 3 });
    // Power-on (the machine resets its devices once built) and the explicit reset.
    expect(channelEvents(rig.sink, 'guest_channel_reset').filter((e) => e.source === 'fw').length).toBe(2);
  });
});
