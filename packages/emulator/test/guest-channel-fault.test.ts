// Faults of a guest on the fw_cfg channel: it stops in the middle of a batch, the machine resets under it, it floods
// the host with adversarial batches. Every record it sent is accepted or counted; the channel takes the next good
// handshake; host memory does not grow with what the guest claims or sends.
import { describe, expect, it } from 'vitest';
import { Tally } from '@unitrace/core/testing';
import { type Batch, ITEM_BYTES, type Rec, batchBytes, handshakeBytes, rig } from './support/channel-guest.js';

const PKG = '@unitrace/emulator';
const good = (id: number): Rec => ({ id, idHigh: 0, ticks: 10, strings: [3, 4], lieLength: 0, lieString: 0 });
const batchOf = (n: number, extra: Partial<Batch> = {}): Batch => ({
  records: Array.from({ length: n }, (_, i) => good(1 + (i % 3))),
  seqJump: 0,
  recordJump: 0,
  dropped: 0,
  lie: 'none',
  ...extra,
});

describe('a guest that stops or resets mid-stream', () => {
  it('a batch cut short is refused and counted; the next handshake brings the channel back, nothing uncounted', () => {
    const r = rig();
    expect(r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }))).toBe(0);
    expect(r.write('records', batchBytes(batchOf(5), 0, 0))).toBe(0);
    // The guest stops after writing part of batch 1: the host sees a write shorter than its header says.
    const cut = batchBytes(batchOf(6), 1, 5);
    expect(r.write('records', cut.subarray(0, cut.length - 20))).toBe(0);
    r.deliver();
    const stopped = r.channel.stats();
    expect(stopped.accepted).toBe(5);
    expect(stopped.batchesRejected).toBe(1);
    // It comes back (a reboot of the firmware): handshake, then its sequence starts at 0 again.
    expect(r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }))).toBe(0);
    expect(r.write('records', batchBytes(batchOf(7), 0, 0))).toBe(0);
    r.deliver();
    const back = r.channel.stats();
    expect(back.accepted).toBe(12);
    expect(back.rejected + back.gapRecords + back.guestDropped).toBe(r.sink.drops);
    expect(r.sink.records).toBe(12);
    expect(r.sink.outside).toBe(0);
    report('guest channel: a guest stops mid-batch, then handshakes again', r.channel.stats(), 3);
  });

  it('a machine reset refuses batches until the next handshake, counting each of their records as lost', () => {
    const r = rig();
    r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }));
    r.write('records', batchBytes(batchOf(4), 0, 0));
    r.machine.reset();
    expect(r.channel.sourceStatus()!.handshake).toBe('none');
    // The guest did not notice the reset and goes on with sequence 1: the host no longer has a session for it.
    r.write('records', batchBytes(batchOf(3), 1, 4));
    r.deliver();
    expect(r.channel.stats()).toMatchObject({ accepted: 4, rejected: 3 });
    expect(r.sink.drops).toBe(3);
    r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }));
    r.write('records', batchBytes(batchOf(2), 0, 0));
    r.deliver();
    expect(r.channel.stats()).toMatchObject({ accepted: 6, rejected: 3 });
    expect(r.sink.records).toBe(6);
    report('guest channel: machine reset under a running guest', r.channel.stats(), 3);
  });
});

describe('a guest flooding the channel', () => {
  it('host memory stays flat over thousands of adversarial batches and claims of 4 GiB', () => {
    const r = rig();
    r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }));
    const kinds: Batch[] = [
      batchOf(40),
      batchOf(40, { lie: 'huge' }),
      batchOf(40, { dropped: 1000 }),
      batchOf(40, { seqJump: 0x7fffffff, recordJump: 1000 }),
      { ...batchOf(30), records: batchOf(30).records.map((x) => ({ ...x, lieString: 0x7fffffff })) },
      { ...batchOf(30), records: batchOf(30).records.map((x) => ({ ...x, id: 0xffffffff })) },
    ];
    const encoded = kinds.map((b, i) => batchBytes(b, i, i * 40));
    expect(encoded.every((b) => b.length <= ITEM_BYTES)).toBe(true);
    // Warm up once, then measure: the channel and tracer allocate nothing per batch.
    for (const b of encoded) r.write('records', b);
    r.deliver();
    const before = process.memoryUsage();
    const rounds = 2000;
    for (let i = 0; i < rounds; i++) {
      r.write('records', encoded[i % encoded.length]!);
      if (i % 50 === 0) r.deliver();
    }
    r.deliver();
    const after = process.memoryUsage();
    const growth = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    const s = r.channel.stats();
    expect(s.batches).toBe(rounds + encoded.length + 0);
    expect(r.sink.outside).toBe(0);
    expect(r.sink.records).toBe(s.accepted);
    expect(r.sink.drops).toBe(s.rejected + s.guestDropped + s.gapRecords);
    expect(growth).toBeLessThan(16 * 2 ** 20);
    report('guest channel: adversarial flood, memory bound', s, rounds, `heap + buffers growth ${(growth / 2 ** 20).toFixed(1)} MiB over ${rounds} batches`);
  });
});

function report(test: string, s: ReturnType<ReturnType<typeof rig>['channel']['stats']>, cases: number, note?: string): void {
  const tally = new Tally(PKG, test, { caseUnit: 'batch', itemUnit: 'records' });
  tally.cases = cases;
  tally.accepted = s.accepted + s.filtered;
  tally.rejected = s.rejected;
  tally.lost = s.guestDropped + s.gapRecords;
  tally.note = note;
  tally.report();
}
