// A hostile guest against the fw_cfg channel: every step's counters as the guest reads them back from the status
// item, derived by hand from channel-abi.md; no host exception; no record ever outside the source's id range.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelEvents, channelRig, quitRigs, sdkGuest } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

const FW_BASE = 0x8000_0000_0000_0000n;

/** [accepted, rejected, lost, filtered, state, reason] after each step (state 1 accepted, 3 refused). */
const STEPS: ReadonlyArray<readonly number[]> = [
  [0, 0, 0, 0, 1, 0], // 0 handshake
  [2, 0, 0, 0, 1, 0], // 1 two good records
  [2, 0, 0, 0, 1, 0], // 2 wrong magic: nothing can be counted
  [2, 0, 0, 0, 1, 0], // 3 byte length lies
  [2, 0, 0, 0, 1, 0], // 4 record count lies
  [2, 3, 0, 0, 1, 0], // 5 a record length runs past the batch: all three rejected
  [2, 7, 0, 0, 1, 0], // 6 bad ids (2), string past its record, string over 512
  [3, 8, 0, 1, 1, 0], // 7 trailing garbage rejected, disabled event filtered, one good
  [4, 8, 8, 1, 1, 0], // 8 batch 4 expected at record 12, batch 10 at record 20: 8 records lost
  [4, 9, 8, 1, 1, 0], // 9 replay of batch 3
  [5, 9, 8, 1, 1, 0], // 10 a future timestamp, clamped
  [5, 9, 13, 1, 1, 0], // 11 the guest reports five drops
  [5, 10, 13, 1, 3, 11], // 12 partial handshake write, then a batch without a handshake
  [5, 10, 13, 1, 3, 4], // 13 another catalog, no names
  [5, 10, 13, 1, 3, 6], // 14 state page outside RAM
  [5, 10, 13, 1, 3, 2], // 15 ABI version 2
  [5, 10, 13, 1, 3, 3], // 16 the hypercall transport's handshake
  [5, 10, 13, 1, 3, 9], // 17 names, but fw_value's first argument is uint32_t on the guest
  [5, 10, 13, 1, 3, 7], // 18 a batch larger than the records item
  [6, 10, 13, 1, 1, 0], // 19 accepted again: batch 0 is expected again
];

describe.each([
  ['pc', 'in-thread'],
  ['pc', 'worker'],
  ['virt', 'in-thread'],
] as const)('a hostile guest on %s, %s', (board, mode) => {
  it('is refused, rejected and counted step by step, and never makes the host misdecode or throw', async () => {
    const rig = channelRig(board, { enable: ['fw_*', 'guest_channel_*'] });
    rig.registry.setState(rig.registry.lookup('fw_tick')!.index, false);
    const before = rig.tracer.clock.nowNs();
    const outcome = await rig.machine.runGuest(sdkGuest('channel-hostile'), rig.args, { mode });
    const after = rig.tracer.clock.nowNs();
    rig.tracer.deliver();
    expect(outcome.kind).toBe('returned');
    const r = rig.results();
    // Step 0's report, then the state page (fw_tick off: 0b1011), then steps 1..13, the page again (cleared by a
    // refusal), then steps 14..19.
    const steps = [r.slice(0, 6), ...chunks(r.slice(7, 7 + 13 * 6)), ...chunks(r.slice(8 + 13 * 6))];
    expect([r[6], r[7 + 13 * 6]]).toEqual([0b1011, 0]);
    expect(steps).toEqual(STEPS);

    const fw = rig.sink.records.filter((x) => x.source === 'fw');
    expect(fw.map((x) => [x.name, Object.values(x.args)])).toEqual([
      ['fw_value', [1n, 2]],
      ['fw_boot', [3, 'ok']],
      ['fw_note', ['fine']],
      ['fw_value', [5n, 6]],
      ['fw_value', [9n, 10]],
      ['fw_value', [11n, 12]],
    ]);
    for (const x of rig.sink.records) {
      if (x.id >= FW_BASE) expect(x.id < FW_BASE + 4n).toBe(true);
    }
    const future = fw[4];
    expect(future.guestClock).toBe(2 ** 52);
    expect(future.timestampNs).toBeGreaterThanOrEqual(before);
    expect(future.timestampNs).toBeLessThanOrEqual(after);
    expect(rig.fw.stats()).toEqual({
      accepted: 6,
      filtered: 1,
      rejected: 10,
      unknown: 0,
      guestDropped: 5,
      gapRecords: 8,
      gapBatches: 6,
      batches: 13,
      batchesRejected: 6,
      clamped: 1,
      handshakes: 9,
      refusals: 7,
    });
    // accepted + filtered + rejected = the records of every batch whose header could be trusted (steps 1, 5..12, 19).
    const s = rig.fw.stats();
    expect(s.accepted + s.filtered + s.rejected).toBe(2 + 3 + 4 + 3 + 1 + 1 + 1 + 0 + 1 + 1);
    // Every loss reached the sinks as a dropped record: rejections, the guest's drops, the sequence gap.
    expect(rig.sink.droppedTotal()).toBe(10 + 5 + 8);
    const refusals = channelEvents(rig.sink, 'guest_channel_refused').map((e) => e.reason as string);
    expect(refusals.length).toBe(7);
    expect(refusals[0]).toMatch(/^handshake written as 10 bytes at offset 0/);
    expect(channelEvents(rig.sink, 'guest_channel_sequence_gap')).toEqual([{ source: 'fw', expected: 4, seq: 10, lost: 8n }]);
    expect(channelEvents(rig.sink, 'guest_channel_batch_rejected').map((e) => e.reason)).toEqual([
      'bad batch magic',
      'batch header lengths do not match what was written',
      'batch header lengths do not match what was written',
      'record lengths do not frame the batch',
      'replayed or out-of-order batch',
      'no accepted handshake',
    ]);
  });
});

function chunks(xs: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < xs.length; i += 6) out.push(xs.slice(i, i + 6));
  return out;
}
