// Records a guest cannot send still show up: early-boot records arrive after the handshake, what did not fit is
// counted, the guest's own drops (a full batch it may not flush) reach every sink as a dropped record, and records
// missing between batches are counted exactly and shown per source.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachineMonitor } from '../src/machine-monitor.js';
import { channelEvents, channelRig, quitRigs, recordsOf, sdkGuest } from './channel-fixture.js';
import { handshakeBytes, rig as dmaRig, wordBatch } from './support/channel-guest.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

describe.each([
  ['pc', 'in-thread'],
  ['virt', 'worker'],
] as const)('guest losses on %s, guest %s', (board, mode) => {
  it('delivers early-boot records after the handshake and counts the overflow', async () => {
    const rig = channelRig(board);
    const start = rig.tracer.clock.nowNs();
    const outcome = await rig.machine.runGuest(sdkGuest('channel-early'), rig.args, { mode });
    expect(outcome.kind).toBe('returned');
    rig.tracer.deliver();
    // No exit while buffering early; accepted; eight of ten did not fit the 128-byte early buffer.
    expect(rig.results()).toEqual([0, 1, 8]);
    const fw = recordsOf(rig.sink, 'fw');
    expect(fw.map((r) => [r.name, r.args.v])).toEqual([
      ['fw_value', 100n],
      ['fw_value', 101n],
      ['fw_tick', undefined],
    ]);
    // The early records keep the time they were emitted, before the handshake's tracepoint.
    const early = rig.sink.records.filter((r) => r.source === 'fw');
    const accepted = rig.sink.records.find((r) => r.name === 'guest_channel_accepted')!;
    expect(early[0].timestampNs).toBeGreaterThanOrEqual(start);
    expect(early[1].timestampNs).toBeLessThanOrEqual(accepted.timestampNs);
    expect(rig.sink.drops.map((d) => d.count)).toEqual([8]);
    expect(channelEvents(rig.sink, 'guest_channel_guest_dropped')).toEqual([{ source: 'fw', count: 8 }]);
    expect(createMachineMonitor(rig.machine).traceSources()[1].losses).toEqual({ guestBuffer: 8, rejected: 0, sequenceGaps: 0, gapRecords: 0 });
  });

  it('turns the drops of a full batch that may not be flushed into a dropped record', async () => {
    const rig = channelRig(board);
    const outcome = await rig.machine.runGuest(sdkGuest('channel-drops'), rig.args, { mode });
    expect(outcome.kind).toBe('returned');
    rig.tracer.deliver();
    // No exit while the batch filled; fifteen of twenty did not fit 256 - 32 bytes of 40-byte records.
    expect(rig.results()).toEqual([0, 15]);
    expect(recordsOf(rig.sink, 'fw').map((r) => r.name)).toEqual([...Array(5).fill('fw_value'), 'fw_tick']);
    expect(rig.sink.drops.map((d) => d.count)).toEqual([15]);
    expect(rig.fw.stats()).toMatchObject({ accepted: 6, guestDropped: 15, rejected: 0 });
  });
});

describe('records missing between batches', () => {
  it('are counted exactly, reach the sinks as dropped records, and show in query-trace-sources as gap records', async () => {
    const r = dmaRig();
    try {
      r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }));
      r.write('records', wordBatch(0, 0, [1, 2, 3]));
      // The guest's next batches never arrived: sequence 1 and 2 (seven records, indexes 3..9).
      r.write('records', wordBatch(3, 10, [4, 5]));
      r.deliver();
      const fw = createMachineMonitor(r.machine).traceSources().find((s) => s.name === 'fw')!;
      expect(fw.losses).toEqual({ guestBuffer: 0, rejected: 0, sequenceGaps: 2, gapRecords: 7 });
      expect(fw.records).toBe(5);
      expect(r.sink.drops).toBe(7);
    } finally {
      await r.machine.quit();
    }
  });
});
