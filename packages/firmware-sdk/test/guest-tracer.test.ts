// The guest tracer against a scripted host: handshake bytes, early buffering, batches and their headers, drops,
// refusal, and the single-record (hypercall) mode. Expected bytes come from the ABI tables in channel-abi.md.
import { describe, expect, it } from 'vitest';
import { createGuestTracer, type GuestSource } from '../src/index.js';
import { FakeCpu } from './support/fake-cpu.js';
import { createFakeHost, decodeBatch } from './support/fake-host.js';

const SOURCE: GuestSource = {
  name: 'fw',
  hash: '0123456789abcdef'.repeat(4),
  eventCount: 3,
  signatures: ['fw_a(void)', 'fw_b(uint64_t)', 'fw_c(const char *)'],
  argKinds: ['', 'w', 's'],
};
const REGION = { base: 0x1000, bytes: 0x2000, earlyBytes: 128, batchBytes: 256 };
const le = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);

function setUp(options: Parameters<typeof createFakeHost>[0] = {}, tracer: { flushWhenFull?: boolean } = {}) {
  const cpu = new FakeCpu();
  const host = createFakeHost(options);
  const t = createGuestTracer(cpu, { source: SOURCE, ram: REGION, vcpu: 3, ...tracer });
  return { cpu, host, t };
}

describe('handshake', () => {
  it('sends the block of the ABI table, then the names text, and reads the status', () => {
    const { host, t } = setUp();
    const status = t.connect(host.transport);
    expect(status).toMatchObject({ state: 'accepted', text: 'accepted: test' });
    const names = 'fw_a(void)\0fw_b(uint64_t)\0fw_c(const char *)\0';
    expect([...host.handshakes[0]]).toEqual([
      0x55, 0x54, 0x48, 0x53, // UTHS
      ...le(1, 2), // ABI version
      ...le(1, 2), // fw_cfg
      ...le(3, 4), // events
      ...le(256, 4), // batch bytes
      ...le(t.statePage, 8),
      ...Array.from({ length: 4 }, () => [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]).flat(),
      ...le(names.length, 4),
      ...le(0, 36),
    ]);
    expect(Buffer.from(host.names[0]).toString('latin1')).toBe(names);
    expect(host.batches).toEqual([]); // nothing early, nothing sent
  });

  it('on refusal clears the state page and never sends anything', () => {
    const { cpu, host, t } = setUp({ answer: 'refused' });
    t.emit(1, [5]);
    expect(t.connect(host.transport)).toMatchObject({ state: 'refused', reason: 4, text: 'refused (catalog mismatch): test' });
    expect([0, 1, 2].map((i) => t.enabled(i))).toEqual([false, false, false]);
    const exits = cpu.exits;
    t.emit(1, [6]);
    expect(t.begin(1, 8)).toBe(-1);
    t.flush();
    t.shutdown();
    expect(host.batches).toEqual([]);
    expect(cpu.exits).toBe(exits);
  });

  it('reports an absent channel as unavailable', () => {
    const { host, t } = setUp({ answer: 'absent' });
    expect(t.connect(host.transport)).toMatchObject({ state: 'unavailable', text: 'no such device' });
    expect(t.enabled(0)).toBe(false);
  });
});

describe('batches', () => {
  it('delivers early records first (seq 0, their own stamps), then batches with cumulative record indices', () => {
    const { host, t } = setUp();
    t.emit(1, [0x1122334455667788n]);
    t.emit(0, []);
    t.connect(host.transport);
    t.emit(2, ['hi']);
    t.flush();
    const [early, next] = host.batches.map(decodeBatch);
    expect(early).toMatchObject({ seq: 0, count: 2, bytes: 32 + 24, dropped: 0, first: 0 });
    expect(early.records).toEqual([
      { id: 1, ts: 1000, len: 32, pid: 3, payload: [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11] },
      { id: 0, ts: 1007, len: 24, pid: 3, payload: [] },
    ]);
    expect(next).toMatchObject({ seq: 1, count: 1, first: 2, dropped: 0 });
    expect(next.records[0]).toEqual({ id: 2, ts: 1014, len: 30, pid: 3, payload: [2, 0, 0, 0, 0x68, 0x69] });
  });

  it('counts what the early buffer could not hold and reports it in the first batch', () => {
    const { host, t } = setUp();
    for (let i = 0; i < 10; i++) t.emit(1, [i]); // 32 bytes each; 128 - 32 header leaves room for 3
    t.connect(host.transport);
    expect(decodeBatch(host.batches[0])).toMatchObject({ count: 3, dropped: 7 });
    expect(t.stats()).toEqual({ sent: 3, dropped: 7, sends: 1 });
  });

  it('sends a full batch (one exit) before the record that does not fit', () => {
    const { host, t } = setUp();
    t.connect(host.transport);
    for (let i = 0; i < 8; i++) t.emit(1, [i]); // (256 - 32) / 32 = 7 per batch
    expect(host.batches.map((b) => decodeBatch(b).count)).toEqual([7]);
    t.flush();
    expect(host.batches.map((b) => decodeBatch(b))).toMatchObject([{ seq: 0, first: 0 }, { seq: 1, count: 1, first: 7 }]);
  });

  it('drops and counts when it may not flush, and reports the drops in the next header', () => {
    const { host, t } = setUp({}, { flushWhenFull: false });
    t.connect(host.transport);
    for (let i = 0; i < 9; i++) t.emit(1, [i]);
    expect(host.batches).toEqual([]);
    t.flush();
    expect(decodeBatch(host.batches[0])).toMatchObject({ count: 7, dropped: 2 });
    t.flush(); // nothing pending: no exit
    expect(host.batches.length).toBe(1);
  });

  it('counts a batch the device refused as dropped, keeps the sequence, and reports it next time', () => {
    const { host, t } = setUp();
    t.connect(host.transport);
    t.emit(1, [1]);
    t.emit(1, [2]);
    host.failNext = true;
    expect(t.flush()).toBe(false);
    t.emit(1, [3]);
    expect(t.flush()).toBe(true);
    expect(decodeBatch(host.batches[0])).toMatchObject({ seq: 0, count: 1, dropped: 2, first: 0 });
    expect(t.stats()).toMatchObject({ sent: 1, dropped: 2 });
  });

  it('drops a record larger than any batch', () => {
    const { host, t } = setUp();
    t.connect(host.transport);
    t.emit(2, ['x'.repeat(300)]);
    t.flush();
    expect(decodeBatch(host.batches[0])).toMatchObject({ count: 0, dropped: 1 });
  });

  it('gates emit on the state page the host writes', () => {
    const { host, t } = setUp({ stateByte: 0b101 });
    t.connect(host.transport);
    expect([0, 1, 2].map((i) => t.enabled(i))).toEqual([true, false, true]);
    t.emit(1, [1]);
    t.emit(2, ['a']);
    t.flush();
    expect(decodeBatch(host.batches[0]).records.map((r) => r.id)).toEqual([2]);
  });
});

describe('single records (hypercall)', () => {
  it('rings one doorbell per record with the mailbox filled, replays early records, reports what cannot go', () => {
    const { cpu, host, t } = setUp({ kind: 'single' });
    t.emit(1, [7]);
    t.emit(2, ['no strings through the mailbox']);
    const hs = t.connect(host.transport);
    expect(hs.state).toBe('accepted');
    const exits = cpu.exits;
    t.emit(1, [-1]);
    t.emit(0, []);
    expect(cpu.exits).toBe(exits); // the fake link counts no exits; doorbells are what matter here
    t.emit(2, ['x']);
    t.flush();
    const words = (mb: Uint8Array) => new DataView(mb.buffer, mb.byteOffset, 64);
    // Early: fw_b(7) replayed, then the early string record is dropped and reported by a drops-only doorbell.
    expect(host.doorbells.map((d) => d.id)).toEqual([1, 0xffff_ffff, 1, 0, 0xffff_ffff]);
    const [early, earlyDrops, minus1, , lastDrops] = host.doorbells.map((d) => words(d.mailbox));
    expect([early.getUint32(0, true), early.getUint32(8, true), early.getUint32(12, true), early.getUint32(16, true)]).toEqual([1000, 3, 0, 7]);
    expect(earlyDrops.getUint32(12, true)).toBe(1);
    expect(minus1.getBigUint64(16, true)).toBe(0xffff_ffff_ffff_ffffn);
    expect(lastDrops.getUint32(12, true)).toBe(1); // fw_c('x'): strings cannot use the mailbox
    const block = new DataView(host.handshakes[0].buffer);
    expect([block.getUint16(6, true), block.getUint32(12, true)]).toEqual([2, 0]); // hypercall, no batch
    expect(Number(block.getBigUint64(72, true))).toBe(t.layout.mailbox);
    expect(Number(block.getBigUint64(80, true))).toBe(t.layout.status);
  });
});

describe('layout', () => {
  it('refuses a region outside RAM or too small for a batch', () => {
    const cpu = new FakeCpu(0x1000);
    expect(() => createGuestTracer(cpu, { source: SOURCE, ram: { base: 0x800, bytes: 0x1000 } })).toThrow(RangeError);
    expect(() => createGuestTracer(cpu, { source: SOURCE, ram: { base: 0, bytes: 600 } })).toThrow(/batch buffer/);
  });
});
