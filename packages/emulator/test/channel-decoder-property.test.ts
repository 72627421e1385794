// Random and mutated batches straight into the channel's decoder (no vCPU): it never throws, every record of a batch
// whose header can be trusted is accepted, filtered or rejected (and nothing else is), every forwarded record decodes
// and carries an id of its source's range, and every loss reaches the sinks as a dropped record.
import { createManualClock, createRegistry, createTracer, loadCatalog, type RecordBatch, type Registry, type Sink } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelSession } from '../src/channels/session.js';
import { NO_CHANNEL_TRACE } from '../src/channels/trace.js';
import { createGuestClock } from '../src/guest-clock.js';
import { createRam } from '../src/memory/ram.js';
import { CHANNEL_CATALOG } from './channel-fixture.js';

const RECORDS_BYTES = 16384;
const STATE_PAGE = 0x100;
const NAMES = 'fw_boot(uint32_t, const char *)\0fw_extra(uint32_t)\0fw_value(uint64_t, int)\0fw_tick(void)\0fw_note(const char *)\0';

/** A sink that counts forwarded records whose payload is not exactly what their declared arguments take. */
function exactnessSink(registry: Registry): Sink & { inexact: number } {
  const sink = {
    name: 'exactness',
    inexact: 0,
    describe() {},
    write(batch: RecordBatch) {
      for (let i = 0; i < batch.count; i++) {
        const o = batch.offsets[i];
        const end = o + 8 + batch.view.getUint32(o + 24, true);
        let p = o + 32;
        for (const a of registry.event(batch.events[i]).decl.args) p += a.type.kind === 'string' ? 4 + batch.view.getUint32(p, true) : 8;
        if (p !== end) sink.inexact++;
      }
    },
    dropped() {},
    flush: async () => {},
    close: async () => {},
  };
  return sink;
}

function setUp(byName: boolean) {
  const registry = createRegistry(loadCatalog(CHANNEL_CATALOG));
  registry.enable('fw_*');
  registry.setState(registry.lookup('fw_tick')!.index, false);
  const hostClock = createManualClock(1e9);
  const tracer = createTracer({ registry, clock: hostClock, exitFlush: false, batchBytes: 8192 });
  const sink = new InMemorySink();
  tracer.addSink(sink);
  const exact = exactnessSink(registry);
  tracer.addSink(exact);
  const memory = createRam(1 << 16);
  const clock = createGuestClock({ hostClock });
  hostClock.advance(5e6);
  const session = new ChannelSession({
    source: 'fw',
    channel: 'fw_cfg',
    transport: 1,
    tracer,
    clock,
    memory,
    trace: NO_CHANNEL_TRACE,
    maxBatch: RECORDS_BYTES,
    namesCapacity: 1024,
  });
  const block = new Uint8Array(96);
  const v = new DataView(block.buffer);
  v.setUint32(0, 0x53485455, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 1, true);
  v.setUint32(8, byName ? 5 : 4, true);
  v.setUint32(12, RECORDS_BYTES, true);
  v.setUint32(16, STATE_PAGE, true);
  const hash = registry.source('fw')!.hash;
  for (let i = 0; i < 32; i++) block[24 + i] = byName ? 0x5a : parseInt(hash.slice(2 * i, 2 * i + 2), 16);
  v.setUint32(56, byName ? NAMES.length : 0, true);
  const names = Uint8Array.from(NAMES, (c) => c.charCodeAt(0));
  session.handshake(block, () => names);
  expect(session.handshakeState).toBe(byName ? 'mapped-by-name' : 'accepted');
  return { registry, tracer, sink, exact, session, hostClock, first: registry.source('fw')!.base };
}

// Records as the ABI lays them out, for the events of the channel-fw catalog (argument kinds by local id).
const KINDS = ['ws', 'ww', '', 's', 'w'];
const le = (v: bigint, n: number): number[] => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
const recordArb = fc
  .record({
    id: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff_ffff }) }),
    ts: fc.oneof(fc.integer({ min: 0, max: 4_000_000 }), fc.maxSafeInteger()),
    words: fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 2, maxLength: 2 }),
    text: fc.uint8Array({ maxLength: 40 }),
    // Framed, but with bytes added past the arguments or cut from them.
    pad: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: 8 }) }),
  })
  .map(({ id, ts, words, text, pad }) => {
    const kinds = KINDS[id] ?? '';
    let payload = Array.from(kinds).flatMap((k, i) => (k === 'w' ? le(words[i] ?? 0n, 8) : [...le(BigInt(text.length), 4), ...text]));
    payload = pad >= 0 ? [...payload, ...Array<number>(pad).fill(0xab)] : payload.slice(0, Math.max(0, payload.length + pad));
    return [...le(BigInt(id), 8), ...le(BigInt(ts), 8), ...le(BigInt(24 + payload.length), 4), 0, 0, 0, 0, ...payload];
  });

const batchArb = fc.record({
  records: fc.array(recordArb, { maxLength: 12 }),
  seqDelta: fc.integer({ min: -2, max: 3 }),
  firstDelta: fc.integer({ min: -3, max: 5 }),
  dropped: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 })),
  flips: fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }) },
  ),
  cut: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -40, max: 40 }) }),
  noise: fc.option(fc.uint8Array({ maxLength: 200 }), { freq: 8 }),
});

/** The ABI's rule for a header the host can count: magic, lengths that match what was written, bounded count. */
function trustedCount(bytes: Uint8Array, length: number): number | undefined {
  if (length < 32) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, length);
  const count = v.getUint32(8, true);
  const byteLength = v.getUint32(12, true);
  const ok = v.getUint32(0, true) === 0x54425455 && byteLength === length - 32 && count * 24 <= byteLength && v.getUint32(28, true) < 2 ** 21;
  return ok ? count : undefined;
}

describe.each([false, true])('the batch decoder (handshake by name: %s)', (byName) => {
  it('keeps its invariants for any bytes', () => {
    const { tracer, sink, exact, session, hostClock, first } = setUp(byName);
    const item = new Uint8Array(RECORDS_BYTES);
    const view = new DataView(item.buffer);
    const c = session.counters;
    fc.assert(
      fc.property(batchArb, (b) => {
        let bytes: number[];
        if (b.noise) bytes = [...b.noise];
        else {
          const body = b.records.flat();
          const seq = (session.decoder.expectedSeq + b.seqDelta) >>> 0;
          const firstRecord = Math.max(0, session.decoder.expectedRecord + b.firstDelta);
          bytes = [
            ...le(0x54425455n, 4), ...le(BigInt(seq), 4), ...le(BigInt(b.records.length), 4), ...le(BigInt(body.length), 4),
            ...le(BigInt(b.dropped), 4), 0, 0, 0, 0, ...le(BigInt(firstRecord), 8), ...body,
          ];
          for (const f of b.flips) if (bytes.length > 0) bytes[f.at % bytes.length] = f.byte;
          if (b.cut < 0) bytes = bytes.slice(0, Math.max(0, bytes.length + b.cut));
          else if (b.cut > 0) bytes = [...bytes, ...Array<number>(b.cut).fill(0xee)];
        }
        if (bytes.length > RECORDS_BYTES) bytes = bytes.slice(0, RECORDS_BYTES);
        item.set(bytes);
        const before = { seen: c.accepted + c.filtered + c.rejected, accepted: c.accepted, records: sink.records.length };
        hostClock.advance(1000);
        session.decoder.decode(item, view, 0, bytes.length);
        tracer.deliver();
        const expected = trustedCount(item, bytes.length) ?? 0;
        expect(c.accepted + c.filtered + c.rejected - before.seen).toBe(expected);
        expect(sink.records.length - before.records).toBe(c.accepted - before.accepted);
      }),
      { numRuns: 400 },
    );
    expect(sink.undecodable).toBe(0);
    expect(exact.inexact).toBe(0);
    for (const r of sink.records) expect(r.id >= first && r.id < first + 4n).toBe(true);
    expect(sink.droppedTotal()).toBe(c.rejected + c.guestDropped + c.gapRecords);
    // The generators reached every outcome, so the invariants were tested against each.
    expect([c.accepted, c.rejected, c.batchesRejected, c.gapRecords, c.guestDropped, c.clamped].every((n) => n > 0)).toBe(true);
    if (byName) expect(c.unknown).toBeGreaterThan(0);
  });
});
