// Batches a worker vCPU sends are copied into a bounded queue and decoded after its exit: nothing about what reaches
// the sinks may change but the moment. The queue stays within its bytes (the guest waits in its exit when it is full),
// records keep their order across batches, a handshake or reset first finishes the batches of the session it ends, a
// toggle filters by the state a batch arrived in, and quit or a process exit decodes what is still queued.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Batch, type Rig, ITEM_BYTES, batchBytes, handshakeBytes, rig, wordBatch } from './support/channel-guest.js';

vi.setConfig({ testTimeout: 60_000 });

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.machine.quit();
});

/** A rig with an InMemorySink (and every channel tracepoint on), accepted handshake done. */
function accepted(options: { queueBytes?: number; clock?: ManualClock } = {}): { r: Rig; sink: InMemorySink } {
  const sink = new InMemorySink();
  const r = rig({ sinks: [sink], enable: ['guest_channel_*'], ...options });
  rigs.push(r);
  expect(r.write('handshake', handshakeBytes(r, { kind: 'good', page: 0 }))).toBe(0);
  return { r, sink };
}

/** The g_word values the sink holds, in order. */
function values(r: Rig, sink: InMemorySink): number[] {
  r.deliver();
  return sink.records.filter((x) => x.name === 'g_word').map((x) => Number(x.args.v));
}

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('batches from a worker vCPU', () => {
  it('are answered at once and decoded later, in order, and counters read after them are exact', () => {
    const { r, sink } = accepted();
    for (let b = 0; b < 3; b++) expect(r.writeFromWorker('records', wordBatch(b, 100 * b, range(100 * b, 100)))).toBe(0);
    expect(r.channel.queuedBatches).toBe(3);
    expect(values(r, sink)).toEqual([]);
    // A step decodes a bounded slice; reading the counters finishes the rest first.
    r.work.step();
    expect(values(r, sink).length).toBeGreaterThan(0);
    expect(r.channel.stats()).toMatchObject({ accepted: 300, rejected: 0, batches: 3 });
    expect(r.channel.queuedBatches).toBe(0);
    expect(values(r, sink)).toEqual(range(0, 300));
  });

  it('keep their order across batches whatever the steps in between', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ n: fc.integer({ min: 0, max: 300 }), steps: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 30 }), (plan) => {
        const { r, sink } = accepted({ queueBytes: 3 * ITEM_BYTES });
        let sent = 0;
        plan.forEach(({ n, steps }, seq) => {
          expect(r.writeFromWorker('records', wordBatch(seq, sent, range(sent, n)))).toBe(0);
          sent += n;
          for (let i = 0; i < steps; i++) r.work.step();
          expect(r.channel.queuedBatches * 32).toBeLessThanOrEqual(3 * ITEM_BYTES);
        });
        r.work.drain();
        expect(values(r, sink)).toEqual(range(0, sent));
        expect(r.channel.stats()).toMatchObject({ accepted: sent, rejected: 0, gapRecords: 0 });
      }),
      { numRuns: 40 },
    );
  });

  it('make the guest wait in its exit while a full queue is decoded (backpressure), never growing it', () => {
    const { r, sink } = accepted({ queueBytes: ITEM_BYTES });
    // Two of these do not fit 16 KiB: each exit decodes the batch before it.
    const per = 300;
    for (let b = 0; b < 6; b++) {
      expect(r.writeFromWorker('records', wordBatch(b, per * b, range(per * b, per)))).toBe(0);
      expect(r.channel.queuedBatches).toBe(1);
      expect(values(r, sink)).toEqual(range(0, per * b));
    }
    expect(r.channel.stats()).toMatchObject({ accepted: 6 * per, batches: 6 });
  });

  it('hold at most 256 batches however small they are', () => {
    const { r } = accepted();
    for (let b = 0; b < 300; b++) {
      r.writeFromWorker('records', wordBatch(b, 0, []));
      expect(r.channel.queuedBatches).toBeLessThanOrEqual(256);
    }
    expect(r.channel.stats()).toMatchObject({ batches: 300, batchesRejected: 0, accepted: 0 });
  });

  it('queued before a handshake are decoded in the session it ends; the new one starts at sequence 0', () => {
    const { r, sink } = accepted();
    r.writeFromWorker('records', wordBatch(0, 0, range(0, 50)));
    r.writeFromWorker('records', wordBatch(1, 50, range(50, 50)));
    expect(r.channel.queuedBatches).toBe(2);
    // The handshake comes from the worker too: it must not overtake the batches sent before it.
    expect(r.writeFromWorker('handshake', handshakeBytes(r, { kind: 'good', page: 0 }))).toBe(0);
    expect(r.channel.queuedBatches).toBe(0);
    expect(values(r, sink)).toEqual(range(0, 100));
    r.writeFromWorker('records', wordBatch(0, 0, [7]));
    expect(r.channel.stats()).toMatchObject({ accepted: 101, rejected: 0, gapBatches: 0, handshakes: 2 });
  });

  it('queued before a refused handshake are still accepted; after it nothing is', () => {
    const { r, sink } = accepted();
    r.writeFromWorker('records', wordBatch(0, 0, range(0, 10)));
    r.writeFromWorker('handshake', handshakeBytes(r, { kind: 'hash', page: 0 }));
    r.writeFromWorker('records', wordBatch(1, 10, range(10, 10)));
    expect(r.channel.stats()).toMatchObject({ accepted: 10, rejected: 10, refusals: 1 });
    expect(values(r, sink)).toEqual(range(0, 10));
    expect(sink.drops.map((d) => d.count)).toEqual([10]);
  });

  it('queued before a machine reset are decoded first; after the reset there is no handshake', () => {
    const { r, sink } = accepted();
    r.writeFromWorker('records', wordBatch(0, 0, range(0, 40)));
    r.machine.reset();
    expect(r.channel.queuedBatches).toBe(0);
    expect(values(r, sink)).toEqual(range(0, 40));
    r.writeFromWorker('records', wordBatch(1, 40, range(40, 5)));
    expect(r.channel.stats()).toMatchObject({ accepted: 40, rejected: 5, batchesRejected: 1 });
    expect(r.channel.sourceStatus()!.handshake).toBe('none');
  });

  it('are filtered by the state they arrived in, even when a toggle comes before they are decoded', () => {
    const { r, sink } = accepted();
    const registry = r.machine.tracer.registry;
    const gWord = registry.lookup('g_word')!.index;
    r.writeFromWorker('records', wordBatch(0, 0, range(0, 30)));
    registry.setState(gWord, false);
    r.writeFromWorker('records', wordBatch(1, 30, range(30, 30)));
    registry.setState(gWord, true);
    r.writeFromWorker('records', wordBatch(2, 60, range(60, 30)));
    expect(r.channel.stats()).toMatchObject({ accepted: 60, filtered: 30, rejected: 0 });
    expect(values(r, sink)).toEqual([...range(0, 30), ...range(60, 30)]);
  });

  it('left in the queue when the machine quits reach the sinks', async () => {
    const { r, sink } = accepted();
    for (let b = 0; b < 4; b++) r.writeFromWorker('records', wordBatch(b, 25 * b, range(25 * b, 25), b === 3 ? 2 : 0));
    expect(r.channel.queuedBatches).toBe(4);
    await r.machine.quit();
    expect(values(r, sink)).toEqual(range(0, 100));
    // Losses a queued batch reported travel with it: the guest's own drops become a dropped record.
    expect(sink.drops.map((d) => d.count)).toEqual([2]);
  });

  it('left in the queue when the process exits reach the sinks, flushed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitrace-deferred-'));
    try {
      const out = join(dir, 'count');
      const child = new URL('./fixtures/deferred-exit-child.ts', import.meta.url).pathname;
      const run = spawnSync(process.execPath, ['--conditions=@unitrace/source', '--import', 'tsx', child, out], { encoding: 'utf8', timeout: 30_000 });
      expect(run.stderr).toBe('');
      // The child queued 5 batches of 100 records and exited without quitting its machine.
      expect(run.stdout.trim()).toBe('queued 5');
      expect(readFileSync(out, 'utf8')).toBe('500');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Random guests, run twice on twin machines with manual clocks: once with every batch decoded in its exit, once with
// batches deferred and decoded in random slices. The sinks must see the same records (ids, times, guest clocks,
// arguments) and the same dropped records, and the counters must agree.
const rec = fc.record({
  id: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 8 }, fc.constantFrom(5, 0xffff)),
  idHigh: fc.oneof({ arbitrary: fc.constant(0), weight: 12 }, fc.constant(1)),
  ticks: fc.oneof(fc.nat({ max: 2e6 }), fc.constant(2 ** 52)),
  strings: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 2 }),
  lieLength: fc.oneof({ arbitrary: fc.constant(0), weight: 10 }, fc.constantFrom(-1, 8)),
  lieString: fc.oneof({ arbitrary: fc.constant(0), weight: 10 }, fc.constantFrom(1, 513)),
});
const batch: fc.Arbitrary<Batch> = fc.record({
  records: fc.array(rec, { maxLength: 40 }),
  seqJump: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, fc.constantFrom(1, -1)),
  recordJump: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, fc.constantFrom(3, -2)),
  dropped: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, fc.integer({ min: 1, max: 50 })),
  lie: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 10 }, fc.constantFrom('count' as const, 'magic' as const, 'short-write' as const, 'offset' as const)),
});
type Action =
  | { kind: 'batch'; b: Batch }
  | { kind: 'handshake'; good: boolean }
  | { kind: 'reset' }
  | { kind: 'toggle'; on: boolean }
  | { kind: 'step'; n: number }
  | { kind: 'time'; ns: number };
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('batch' as const), b: batch }), weight: 8 },
  fc.record({ kind: fc.constant('handshake' as const), good: fc.boolean() }),
  fc.constant({ kind: 'reset' as const }),
  fc.record({ kind: fc.constant('toggle' as const), on: fc.boolean() }),
  { arbitrary: fc.record({ kind: fc.constant('step' as const), n: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('time' as const), ns: fc.nat({ max: 2e6 }) }), weight: 3 },
);

describe('deferring batches changes nothing the sinks see', () => {
  it('same records, same drops, same counters as decoding each batch in its exit', () => {
    const seen = { accepted: 0, filtered: 0, rejected: 0, clamped: 0, lost: 0 };
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 40 }), (actions) => {
        const twins = [false, true].map((deferred) => {
          const clock = createManualClock(1e9);
          return { deferred, clock, ...accepted({ clock, queueBytes: deferred ? 2 * ITEM_BYTES : 0 }) };
        });
        for (const t of twins) {
          const { r, clock, deferred } = t;
          const write = deferred ? r.writeFromWorker : r.write;
          const gWord = r.machine.tracer.registry.lookup('g_word')!.index;
          let seq = 0;
          let first = 0;
          for (const a of actions) {
            clock.advance(1000);
            if (a.kind === 'time') clock.advance(a.ns);
            else if (a.kind === 'step') for (let i = 0; i < a.n; i++) r.work.step();
            else if (a.kind === 'reset') r.machine.reset();
            else if (a.kind === 'toggle') r.machine.tracer.registry.setState(gWord, a.on);
            else if (a.kind === 'handshake') {
              write('handshake', handshakeBytes(r, { kind: a.good ? 'good' : 'hash', page: 0 }));
              if (a.good) seq = first = 0;
            } else {
              const bytes = batchBytes(a.b, seq, first);
              const written = a.b.lie === 'short-write' ? bytes.subarray(0, bytes.length - 5) : bytes;
              if (a.b.lie === 'offset') write('records', bytes.subarray(0, 64), 16);
              else write('records', written);
              seq = (seq + a.b.seqJump + 1) >>> 0;
              first = Math.max(0, first + a.b.recordJump) + a.b.records.length;
            }
          }
          r.channel.stats();
          r.deliver();
        }
        const [sync, deferred] = twins;
        const guest = (s: InMemorySink) => s.records.filter((x) => x.source === 'fw').map(({ id, timestampNs, guestClock, raw }) => ({ id, timestampNs, guestClock, raw }));
        // Host tracepoints are stamped when they fire, which deferring moves: compare what they say.
        const host = (s: InMemorySink) => s.records.filter((x) => x.source !== 'fw').map(({ name, args }) => ({ name, args }));
        expect(guest(deferred.sink)).toEqual(guest(sync.sink));
        expect(host(deferred.sink)).toEqual(host(sync.sink));
        expect(deferred.sink.drops).toEqual(sync.sink.drops);
        expect(deferred.r.channel.stats()).toEqual(sync.r.channel.stats());
        const s = deferred.r.channel.stats();
        expect(deferred.sink.droppedTotal()).toBe(s.rejected + s.guestDropped + s.gapRecords);
        seen.accepted += s.accepted;
        seen.filtered += s.filtered;
        seen.rejected += s.rejected;
        seen.clamped += s.clamped;
        seen.lost += s.guestDropped + s.gapRecords;
      }),
      { numRuns: 60 },
    );
    // The generators reached every outcome, so the twins were compared on each.
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  });
});
