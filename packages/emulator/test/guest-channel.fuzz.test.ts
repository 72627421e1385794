// Fuzz: the fw_cfg guest channel driven the way a guest drives it (DMA writes through the real fw_cfg device of a
// real machine) with random and adversarial handshakes and batches: lying lengths, ids past the source's count,
// strings longer than the batch, sequence jumps and replays, wrong hashes, state pages outside RAM, partial writes,
// resets. Every record the host received is accepted, filtered or rejected; every loss reaches the sinks as dropped
// records; no record carries an id outside the guest's range; the host writes guest RAM only in the state page; and
// the next good handshake always brings the channel back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tally, fuzzParameters } from '@unitrace/core/testing';
import { type Batch, type Handshake, ITEM_BYTES, RAM, type Rec, BUF, DESC, STATE_PAGE, batchBytes, handshakeBytes, headerCount, hypercallRig, rig } from './support/channel-guest.js';

const PKG = '@unitrace/emulator';

const rec: fc.Arbitrary<Rec> = fc.record({
  id: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 6 }, fc.constantFrom(5, 6, 255, 0xffff, 0xffffffff)),
  idHigh: fc.oneof({ arbitrary: fc.constant(0), weight: 12 }, fc.constantFrom(1, 0x80000000, 0xffffffff)),
  ticks: fc.oneof(fc.nat({ max: 1e6 }), fc.constant(2 ** 52)),
  strings: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 2 }),
  lieLength: fc.oneof({ arbitrary: fc.constant(0), weight: 10 }, fc.constantFrom(-1, 1, 8, -24, 0x10000)),
  lieString: fc.oneof({ arbitrary: fc.constant(0), weight: 10 }, fc.constantFrom(1, 513, 0x7fffffff, -1)),
});
const batch: fc.Arbitrary<Batch> = fc.record({
  records: fc.array(rec, { maxLength: 20 }),
  seqJump: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, fc.constantFrom(1, 2, -1, 0x80000000)),
  recordJump: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, fc.constantFrom(1, 7, -1, -5)),
  dropped: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, fc.integer({ min: 1, max: 1000 })),
  lie: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 10 }, fc.constantFrom('count' as const, 'bytes' as const, 'magic' as const, 'short-write' as const, 'offset' as const, 'huge' as const)),
});
const handshake: fc.Arbitrary<Handshake> = fc.record({
  kind: fc.oneof({ arbitrary: fc.constant('good' as const), weight: 6 }, fc.constantFrom('hash' as const, 'count' as const, 'page' as const, 'magic' as const, 'version' as const, 'batch' as const, 'partial' as const)),
  page: fc.constantFrom(RAM, RAM - 0, 2 ** 40, -1 >>> 0, 2 ** 53 + 8),
});
type Action = { kind: 'handshake'; h: Handshake } | { kind: 'batch'; b: Batch } | { kind: 'reset' };
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('batch' as const), b: batch }), weight: 6 },
  fc.record({ kind: fc.constant('handshake' as const), h: handshake }),
  fc.constant({ kind: 'reset' as const }),
);

describe('guest channels under random and adversarial guests', () => {
  it('fw_cfg: received = accepted + filtered + rejected, every loss is a dropped record, ids in range, RAM untouched', () => {
    const tally = new Tally(PKG, 'guest channel (fw_cfg): random and adversarial batches and handshakes', { caseUnit: 'guest session', itemUnit: 'records' });
    const params = fuzzParameters(80);
    tally.seed = params.seed;
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), (actions) => {
        const r = rig();
        const ram = r.machine.ram.bytes;
        let seq = 0;
        let first = 0;
        let received = 0;
        const check = (): void => {
          r.deliver();
          const s = r.channel.stats();
          expect(r.sink.outside).toBe(0);
          expect(s.accepted + s.filtered + s.rejected).toBe(received);
          expect(r.sink.records).toBe(s.accepted);
          expect(r.sink.drops).toBe(s.rejected + s.guestDropped + s.gapRecords);
        };
        for (const a of actions) {
          const before = ram.slice();
          if (a.kind === 'reset') {
            r.machine.reset();
          } else if (a.kind === 'handshake') {
            const bytes = handshakeBytes(r, a.h);
            const status = a.h.kind === 'partial' ? r.write('handshake', bytes.subarray(0, 40), 8) : r.write('handshake', bytes);
            expect(status).toBe(0);
            const st = r.channel.sourceStatus()!;
            expect(st.handshake).toBe(a.h.kind === 'good' ? 'accepted' : 'refused');
            // A state page outside guest RAM is refused by name: the host never writes there.
            if (a.h.kind === 'page') expect(st.detail).toMatch(/state page/);
            if (a.h.kind === 'good') seq = first = 0;
          } else {
            const b = a.b;
            const bytes = batchBytes(b, seq, first);
            let status: number;
            let written = bytes;
            if (b.lie === 'short-write') written = bytes.subarray(0, Math.max(0, bytes.length - 5));
            if (b.lie === 'offset') status = r.write('records', bytes.subarray(0, 64), 16);
            else status = r.write('records', written);
            const fits = written.length <= ITEM_BYTES;
            if (status === 0 && b.lie !== 'offset') received += headerCount(written);
            seq = (seq + b.seqJump + 1) >>> 0;
            first = Math.max(0, first + b.recordJump) + b.records.length;
            if (!fits) expect(status).toBe(1); // larger than the item: the device refuses the write, the guest sees it
          }
          // Guest RAM changes only where the test's guest wrote (descriptor, buffer) and in the state page.
          for (let i = 0; i < RAM; i++) {
            if (before[i] === ram[i]) continue;
            const ours = (i >= DESC && i < DESC + 16) || (i >= BUF && i < BUF + 32 + ITEM_BYTES * 2) || (i >= STATE_PAGE && i < STATE_PAGE + 1);
            if (!ours) throw new Error(`the host wrote guest RAM at 0x${i.toString(16)}`);
          }
          check();
        }
        // Whatever came before, the next good handshake and an honest batch are taken whole.
        r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }));
        const recovery: Batch = { records: [0, 1, 2, 3].map((id) => ({ id, idHigh: 0, ticks: 1, strings: [2, 3], lieLength: 0, lieString: 0 })), seqJump: 0, recordJump: 0, dropped: 0, lie: 'none' };
        const s0 = r.channel.stats();
        expect(r.write('records', batchBytes(recovery, 0, 0))).toBe(0);
        received += 4;
        check();
        const s1 = r.channel.stats();
        expect({ accepted: s1.accepted - s0.accepted, rejected: s1.rejected - s0.rejected }).toEqual({ accepted: 4, rejected: 0 });
        tally.cases++;
        tally.accepted += s1.accepted + s1.filtered;
        tally.rejected += s1.rejected;
        tally.lost += s1.guestDropped + s1.gapRecords;
        tally.uncounted += received - (s1.accepted + s1.filtered + s1.rejected);
      }),
      params,
    );
    tally.report();
    expect(tally.rejected).toBeGreaterThan(0);
    expect(tally.uncounted).toBe(0);
  }, 120_000);

  it('the hypercall port: every doorbell is accepted, filtered or rejected, every loss is a dropped record, ids stay in range', () => {
    const tally = new Tally(PKG, 'guest channel (hypercall): random handshakes, mailboxes and doorbells', { caseUnit: 'guest session', itemUnit: 'records' });
    const params = fuzzParameters(80);
    tally.seed = params.seed;
    const HS = 0x3000;
    const MAILBOX = 0x3100;
    const STATUS = 0x3200;
    type Hc =
      | { kind: 'handshake'; good: boolean; block: number; page: number; mailbox: number; status: number; count: number; flip: number }
      | { kind: 'doorbell'; id: number }
      | { kind: 'mailbox'; dropped: number; ticks: number; words: readonly number[] }
      | { kind: 'reset' };
    const addr = (ok: number): fc.Arbitrary<number> => fc.oneof({ arbitrary: fc.constant(ok), weight: 5 }, fc.constantFrom(RAM - 8, RAM, 0xffffffff, 0));
    const hc: fc.Arbitrary<Hc> = fc.oneof(
      fc.record({
        kind: fc.constant('handshake' as const),
        good: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
        block: addr(HS),
        page: addr(STATE_PAGE),
        mailbox: addr(MAILBOX),
        status: addr(STATUS),
        count: fc.oneof({ arbitrary: fc.constant(5), weight: 5 }, fc.constantFrom(0, 6, 65537, 0xffffffff)),
        flip: fc.integer({ min: 0, max: 95 }),
      }),
      { arbitrary: fc.record({ kind: fc.constant('doorbell' as const), id: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(0xffffffff, 6, 0x80000000)) }), weight: 6 },
      fc.record({ kind: fc.constant('mailbox' as const), dropped: fc.oneof(fc.constant(0), fc.nat({ max: 100 })), ticks: fc.nat(), words: fc.array(fc.nat(), { maxLength: 6 }) }),
      fc.constant({ kind: 'reset' as const }),
    );
    fc.assert(
      fc.property(fc.array(hc, { minLength: 1, maxLength: 30 }), (actions) => {
        const r = hypercallRig();
        const ram = r.machine.ram.bytes;
        const v = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
        let received = 0;
        // Where the host may write guest RAM: the state page, status block and mailbox a handshake named.
        const allowed: Array<[number, number]> = [];
        for (const a of actions) {
          const before = ram.slice();
          if (a.kind === 'reset') r.machine.reset();
          else if (a.kind === 'mailbox') {
            v.setBigUint64(MAILBOX, BigInt(a.ticks), true);
            v.setUint32(MAILBOX + 12, a.dropped, true);
            a.words.forEach((w, i) => v.setBigUint64(MAILBOX + 16 + 8 * i, BigInt(w), true));
          } else if (a.kind === 'doorbell') {
            r.out(8, a.id);
            if (a.id !== 0xffffffff) received++;
          } else {
            const b = new Uint8Array(96);
            const w = new DataView(b.buffer);
            w.setUint32(0, 0x53485455, true);
            w.setUint16(4, 1, true);
            w.setUint16(6, 2, true); // transport: hypercall
            w.setUint32(8, a.count, true);
            w.setBigUint64(16, BigInt(a.page), true);
            b.set(r.hash, 24);
            w.setBigUint64(72, BigInt(a.mailbox), true);
            w.setBigUint64(80, BigInt(a.status), true);
            if (!a.good) b[a.flip] ^= 0x41;
            if (a.block + 96 <= RAM) ram.set(b, a.block);
            const page = w.getUint32(16, true);
            allowed.push([page, page + 1], [w.getUint32(80, true), w.getUint32(80, true) + 256], [w.getUint32(72, true) + 12, w.getUint32(72, true) + 16]);
            r.out(0, a.block);
          }
          if (a.kind !== 'mailbox') {
            for (let i = 0; i < RAM; i++) {
              if (before[i] === ram[i]) continue;
              const ours = (a.kind === 'handshake' && i >= a.block && i < a.block + 96) || allowed.some(([lo, hi]) => i >= lo && i < hi);
              if (!ours) throw new Error(`the host wrote guest RAM at 0x${i.toString(16)}`);
            }
          }
          r.deliver();
          const s = r.channel.stats();
          expect(r.sink.outside).toBe(0);
          expect(s.accepted + s.filtered + s.rejected).toBe(received);
          expect(r.sink.records).toBe(s.accepted);
          expect(r.sink.drops).toBe(s.rejected + s.guestDropped + s.gapRecords);
        }
        const s = r.channel.stats();
        tally.cases++;
        tally.accepted += s.accepted + s.filtered;
        tally.rejected += s.rejected;
        tally.lost += s.guestDropped;
        tally.uncounted += received - (s.accepted + s.filtered + s.rejected);
      }),
      params,
    );
    tally.report();
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  }, 120_000);
});
