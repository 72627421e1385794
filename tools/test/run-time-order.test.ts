// The time-ordering wrapper `unitrace run` puts in front of stderr lines: records reach the inner sink sorted by
// timestamp within its window, stably, and nothing is held back at flush, close or a dropped notice.
import { createManualClock, createRegistry, createTracer, catalogFromText, type Tracer } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { timeOrdered } from '../src/demo/time-order-sink.js';

const CATALOG = 'host_a(int n) "a %d"\nhost_b(int n) "b %d"\n';
const tracers: Tracer[] = [];
afterEach(async () => {
  for (const t of tracers.splice(0)) await t.close();
});

function setUp(windowMs = 60_000): { tracer: Tracer; inner: InMemorySink; at: (ns: number, name: string, n: number) => void } {
  const registry = createRegistry(catalogFromText(CATALOG, 'trace-events'));
  registry.enable('*');
  const clock = createManualClock(0);
  const tracer = createTracer({ registry, clock, exitFlush: false });
  tracers.push(tracer);
  const inner = new InMemorySink();
  tracer.addSink(timeOrdered(inner, { windowMs }));
  // Guest-style records: stamped in the past, as a channel stamps them on arrival.
  const at = (ns: number, name: string, n: number): void => {
    const index = registry.lookup(name)!.index;
    const o = tracer.beginAt(index, 8, ns, -1);
    tracer.writer.view.setBigUint64(o, BigInt(n), true);
  };
  return { tracer, inner, at };
}

describe('timeOrdered', () => {
  it('hands records over sorted by timestamp, equal stamps in arrival order', async () => {
    const { tracer, inner, at } = setUp();
    at(300, 'host_a', 1);
    at(100, 'host_b', 2);
    at(200, 'host_a', 3);
    tracer.deliver();
    at(100, 'host_a', 4);
    at(50, 'host_b', 5);
    tracer.deliver();
    expect(inner.records).toEqual([]);
    await tracer.flush();
    expect(inner.records.map((r) => [r.timestampNs, r.args.n])).toEqual([
      [50, 5],
      [100, 2],
      [100, 4],
      [200, 3],
      [300, 1],
    ]);
  });

  it('passes records on by itself when the window ends', async () => {
    const { tracer, inner, at } = setUp(20);
    at(2, 'host_a', 1);
    at(1, 'host_a', 2);
    tracer.deliver();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(inner.records.map((r) => r.args.n)).toEqual([2, 1]);
  });

  it('passes what it holds before a dropped notice, and everything on close', async () => {
    const { tracer, inner, at } = setUp();
    at(20, 'host_a', 1);
    at(10, 'host_b', 2);
    tracer.dropped(3, 30);
    expect(inner.records.map((r) => r.args.n)).toEqual([2, 1]);
    expect(inner.drops).toEqual([{ count: 3, timeNs: 30 }]);
    at(5, 'host_a', 6);
    await tracer.close();
    expect(inner.records.map((r) => r.args.n)).toEqual([2, 1, 6]);
    expect(inner.closed).toBe(true);
  });

  it('never holds more than its capacity: a full buffer is passed on at once', () => {
    const registry = createRegistry(catalogFromText(CATALOG, 'trace-events'));
    registry.enable('*');
    const tracer = createTracer({ registry, exitFlush: false });
    tracers.push(tracer);
    const inner = new InMemorySink();
    tracer.addSink(timeOrdered(inner, { capacity: 64 * 1024, windowMs: 60_000 }));
    // 40-byte records: 64 KiB holds 1638 of them.
    for (let i = 0; i < 2000; i++) tracer.emit(0, [i]);
    tracer.deliver();
    expect(inner.records.length).toBe(1638);
  });
});
