import { describe, expect, it } from 'vitest';
import { catalogFromText } from '../catalog/load-catalog.js';
import { createManualClock } from '../clock.js';
import { createRegistry } from '../registry/registry.js';
import type { RecordBatch } from '../record.js';
import type { Sink } from '../sink/sink.js';
import { InMemorySink } from '../testing/in-memory-sink.js';
import { createTracer } from './tracer.js';

const HOST = `ev_a(uint32_t x, const char *s) "x %u s %s"
ev_b(int64_t v) "v %" PRId64
ev_c(void) ""
disable ev_off(int x) "%d"
include "g" as fw
`;
const GUEST = `fw_step(uint32_t n) "step %u"\n`;

function setUp(options: { batchBytes?: number } = {}) {
  const catalog = catalogFromText(HOST, 'host/trace-events', { readFile: () => GUEST });
  const registry = createRegistry(catalog);
  const clock = createManualClock(5_000);
  const tracer = createTracer({ registry, clock, pid: 77, exitFlush: false, ...options });
  const memory = new InMemorySink();
  tracer.addSink(memory);
  const idx = (name: string) => registry.lookup(name)!.index;
  return { registry, clock, tracer, memory, idx };
}

function throwingSink(): Sink & { calls: number } {
  return {
    name: 'bad',
    calls: 0,
    describe() {},
    write(this: { calls: number }) {
      this.calls++;
      throw new Error('disk on fire');
    },
    dropped() {},
    flush: async () => {},
    close: async () => {},
  };
}

describe('tracer', () => {
  it('emits nothing for a disabled event and a record with id, time, pid and values for an enabled one', () => {
    const { registry, tracer, memory, idx } = setUp();
    tracer.emit(idx('ev_a'), [1, 'no']);
    registry.enable('ev_a');
    tracer.emit(idx('ev_a'), [0x1_0000_0005, 'hello']);
    tracer.deliver();
    expect(memory.records).toHaveLength(1);
    const r = memory.records[0];
    expect(r).toMatchObject({ name: 'ev_a', id: 0n, timestampNs: 5000, pid: 77, source: 'host', guestClock: undefined });
    expect(r.args).toEqual({ x: 5, s: 'hello' }); // uint32_t truncates as C does
  });

  it('never enables an event with the disable property', () => {
    const { registry, tracer, memory, idx } = setUp();
    registry.enable('*');
    tracer.emit(idx('ev_off'), [1]);
    tracer.deliver();
    expect(memory.records).toHaveLength(0);
  });

  it('stamps guest records with the given host time, keeps their guest clock, and uses the guest range id', () => {
    const { tracer, memory, idx } = setUp();
    const o = tracer.beginAt(idx('fw_step'), 8, 123_456, 999);
    tracer.writer.putWords(o, 3, 0);
    tracer.deliver();
    expect(memory.records[0]).toMatchObject({
      name: 'fw_step',
      source: 'fw',
      id: 0x8000_0000_0000_0000n,
      timestampNs: 123_456,
      guestClock: 999,
      args: { n: 3 },
    });
  });

  it('delivers when the batch is full, and the rest on the next tick', async () => {
    const { registry, tracer, memory, idx } = setUp({ batchBytes: 8 * 1024 });
    registry.enable('ev_b');
    for (let i = 0; i < 1000; i++) tracer.emit(idx('ev_b'), [BigInt(i) - 500n]);
    const delivered = memory.records.length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(1000);
    await new Promise((r) => setImmediate(r));
    expect(memory.records).toHaveLength(1000);
    expect(memory.records.map((r) => r.args.v)).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i) - 500n));
    expect(memory.batchSizes.length).toBeGreaterThan(1);
  });

  it('gives each sink only what its filter lets through', () => {
    const { registry, tracer, memory, idx } = setUp();
    const onlyB = new InMemorySink('only-b');
    tracer.addSink(onlyB, { filter: 'ev_b' });
    registry.enable('*');
    tracer.emit(idx('ev_a'), [1, 'x']);
    tracer.emit(idx('ev_b'), [2]);
    tracer.emit(idx('ev_c'), []);
    tracer.deliver();
    expect(memory.names()).toEqual(['ev_a', 'ev_b', 'ev_c']);
    expect(onlyB.names()).toEqual(['ev_b']);
    expect(onlyB.records[0].args).toEqual({ v: 2n });
  });

  it('isolates a sink that throws: the others get every record, its losses are counted', () => {
    const errors: string[] = [];
    const catalog = catalogFromText(HOST, 'host/trace-events', { readFile: () => GUEST });
    const registry = createRegistry(catalog);
    const tracer = createTracer({ registry, exitFlush: false, onError: (e, name) => errors.push(`${name}: ${(e as Error).message}`) });
    const bad = throwingSink();
    const good = new InMemorySink();
    tracer.addSink(bad);
    tracer.addSink(good);
    registry.enable('ev_c');
    for (let i = 0; i < 3; i++) {
      tracer.emit(registry.lookup('ev_c')!.index, []);
      tracer.deliver();
    }
    expect(good.records).toHaveLength(3);
    const status = tracer.sinkStatus().find((s) => s.name === 'bad')!;
    expect(status).toMatchObject({ delivered: 0, lost: 3, failures: 3 });
    expect(errors).toEqual(['bad: disk on fire', 'bad: disk on fire', 'bad: disk on fire']);
  });

  it('delivers pending records before a dropped notice, and ignores empty notices', () => {
    const { registry, tracer, idx } = setUp();
    const order: string[] = [];
    const sink: Sink = {
      name: 'order',
      describe() {},
      write: (b: RecordBatch) => order.push(`write ${b.count}`),
      dropped: (n: number, t: number) => order.push(`dropped ${n} at ${t}`),
      flush: async () => {},
      close: async () => {},
    };
    tracer.addSink(sink);
    registry.enable('ev_c');
    tracer.emit(idx('ev_c'), []);
    tracer.emit(idx('ev_c'), []);
    tracer.dropped(4, 9000);
    tracer.dropped(0);
    expect(order).toEqual(['write 2', 'dropped 4 at 9000']);
  });

  it('describes every source to a sink when it is added', () => {
    const { memory } = setUp();
    expect(memory.sources.map((s) => [s.name, s.kind, s.first, s.events.length])).toEqual([
      ['host', 'host', 0, 4],
      ['fw', 'guest', 4, 1],
    ]);
  });

  it('close delivers, closes every sink once, and is idempotent', async () => {
    const { registry, tracer, memory, idx } = setUp();
    registry.enable('ev_c');
    tracer.emit(idx('ev_c'), []);
    await tracer.close();
    await tracer.close();
    expect(memory.records).toHaveLength(1);
    expect(memory.closed).toBe(true);
    expect(() => tracer.addSink(new InMemorySink())).toThrow(/closed tracer/);
  });

  it('flushSync delivers what is pending and calls every sink that can flush synchronously', () => {
    const { registry, tracer, memory, idx } = setUp();
    let synced = 0;
    tracer.addSink({
      name: 'sync',
      describe() {},
      write() {},
      dropped() {},
      flush: async () => {},
      close: async () => {},
      flushSync: () => void synced++,
    });
    registry.enable('ev_c');
    tracer.emit(idx('ev_c'), []);
    tracer.flushSync();
    expect(memory.records).toHaveLength(1);
    expect(synced).toBe(1);
  });

  it('gives up on a sink whose flush or close never settles, reports it, and still closes the others', async () => {
    const errors: string[] = [];
    const catalog = catalogFromText(HOST, 'host/trace-events', { readFile: () => GUEST });
    const tracer = createTracer({ registry: createRegistry(catalog), exitFlush: false, settleTimeoutMs: 50, onError: (e, n) => errors.push(`${n}: ${(e as Error).message}`) });
    const never = new Promise<void>(() => {});
    tracer.addSink({ name: 'stuck', describe() {}, write() {}, dropped() {}, flush: () => never, close: () => never });
    const good = new InMemorySink();
    tracer.addSink(good);
    await tracer.flush();
    await tracer.close();
    expect(good.closed).toBe(true);
    expect(errors).toEqual([
      'stuck: sink stuck did not finish its flush within 50 ms',
      'stuck: sink stuck did not finish its close within 50 ms',
    ]);
  });
});
