// A kernel on the hypercall port (the SDK's hypercall transport): one exit per record, gated by its state page, the
// same validation and rebasing as fw_cfg, and counted losses for what the mailbox cannot carry.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMachineMonitor } from '../src/machine-monitor.js';
import { channelEvents, channelRig, quitRigs, recordsOf, sdkGuest } from './channel-fixture.js';

vi.setConfig({ testTimeout: 60_000 });
afterEach(quitRigs);

const KERNEL_BASE = 0x8000_0001_0000_0000n;

describe.each([
  ['pc', 'in-thread'],
  ['pc', 'worker'],
  ['virt', 'in-thread'],
  ['virt', 'worker'],
] as const)('hypercall channel on %s, guest %s', (board, mode) => {
  it('takes one exit per record and none for a disabled event', async () => {
    const rig = channelRig(board);
    rig.registry.setState(rig.registry.lookup('k_irq')!.index, false);
    const start = rig.tracer.clock.nowNs();
    const outcome = await rig.machine.runGuest(sdkGuest('channel-hypercall'), { ...rig.args, board }, { mode });
    const end = rig.tracer.clock.nowNs();
    rig.tracer.deliver();
    expect(outcome.kind).toBe('returned');
    // accepted; k_syscall twice (1 exit each); k_irq disabled (0); k_panic and k_six cannot travel (0 each, dropped);
    // flush: one drops-only doorbell; the tracer dropped two.
    expect(rig.results()).toEqual([1, 1, 1, 0, 0, 0, 1, 2]);
    expect(recordsOf(rig.sink, 'kernel')).toEqual([
      { name: 'k_syscall', args: { nr: 1, a0: 0x1122334455667788n, a1: 0xffff_ffff_ffff_ffffn }, id: KERNEL_BASE },
      { name: 'k_syscall', args: { nr: 2, a0: 3n, a1: 4n }, id: KERNEL_BASE },
    ]);
    for (const r of rig.sink.records.filter((x) => x.source === 'kernel')) {
      expect(r.timestampNs).toBeGreaterThanOrEqual(start);
      expect(r.timestampNs).toBeLessThanOrEqual(end);
      expect(rig.machine.clock.toHostNs(r.guestClock!)).toBe(r.timestampNs);
    }
    // The doorbell for id 99 was rejected; the two the guest could not send were reported by it.
    expect(rig.kernel.stats()).toMatchObject({ accepted: 2, rejected: 1, guestDropped: 2, filtered: 0, handshakes: 1 });
    expect(rig.sink.droppedTotal()).toBe(3);
    expect(channelEvents(rig.sink, 'guest_channel_records_rejected')).toEqual([
      { source: 'kernel', seq: 0, count: 1, reason: 'id outside the guest catalog' },
    ]);
    const status = createMachineMonitor(rig.machine).traceSources().find((s) => s.name === 'kernel');
    expect(status).toMatchObject({ handshake: 'accepted', channel: 'hypercall', records: 2, losses: { guestBuffer: 2, rejected: 1 } });
  });
});
