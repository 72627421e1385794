// A guest on a worker vCPU flooding the fw_cfg channel: its batches are decoded while it fills the next ones, and
// however the queue is sized (the smallest, where nearly every batch waits for room, or the default) every record
// reaches the sink once, in the order traced, with nothing lost; a machine that quits mid-flood loses nothing it took.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelRig, quitRigs, recordsOf } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

const FLOOD = new URL('./fixtures/deferred-flood-guest.ts', import.meta.url);
const COUNT = 40_000;

describe.each([
  ['the smallest queue (one records item)', 16384],
  ['the default queue', undefined],
] as const)('a flooding worker guest, %s', (_what, queueBytes) => {
  it('gets every record to the sink in order', async () => {
    const rig = channelRig('pc', { enable: ['fw_value'], ...(queueBytes === undefined ? {} : { queueBytes }) });
    const outcome = await rig.machine.runGuest(FLOOD, { ...rig.args, count: COUNT }, { mode: 'worker' });
    expect(outcome.kind).toBe('returned');
    // The guest's end decodes what it sent: nothing is left queued for whoever awaits it.
    expect(rig.fw.queuedBatches).toBe(0);
    rig.tracer.deliver();
    const [state, sent, dropped, sends] = rig.results();
    expect([state, sent, dropped]).toEqual([1, COUNT, 0]);
    // 16 KiB batches of 40-byte records: 408 records each (one exit per batch).
    expect(sends).toBe(Math.ceil(COUNT / 408));
    const values = recordsOf(rig.sink, 'fw').map((r) => Number(r.args.v));
    expect(values.length).toBe(COUNT);
    expect(values.every((v, i) => v === i)).toBe(true);
    expect(rig.fw.stats()).toMatchObject({ accepted: COUNT, rejected: 0, guestDropped: 0, gapRecords: 0, batches: sends });
    expect(rig.sink.drops).toEqual([]);
  });
});

describe('a machine that quits while a worker guest floods', () => {
  it('decodes every batch it answered: records reached = records the channel took, in order', async () => {
    const rig = channelRig('pc', { enable: ['fw_value'] });
    const done = rig.machine.runGuest(FLOOD, { ...rig.args, count: 10_000_000 }, { mode: 'worker' });
    // Quit once some batches went through, long before the guest could finish.
    while (rig.fw.stats().batches < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    await rig.machine.quit();
    expect((await done).kind).toBe('terminated');
    rig.tracer.deliver();
    const s = rig.fw.stats();
    const values = recordsOf(rig.sink, 'fw').map((r) => Number(r.args.v));
    expect(s.accepted).toBeGreaterThan(0);
    expect(values.length).toBe(s.accepted);
    expect(values.every((v, i) => v === i)).toBe(true);
    expect(s.rejected + s.guestDropped + s.gapRecords).toBe(0);
  });
});
