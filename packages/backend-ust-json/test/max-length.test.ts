// maxLength: what is buffered or in flight never passes the bound; records beyond it are dropped, counted, and
// reported by a dropped record at the place of the gap once room returns.
import { describe, expect, it } from 'vitest';
import { resolveUstJsonOptions } from '../src/options.js';
import { UstJsonSink } from '../src/ust-json-sink.js';
import { HOST, RECORDS, batchOf } from './support/corpus.js';
import { testEnv } from './support/env.js';
import { memoryDestination } from './support/memory-destination.js';

const voidRecord = RECORDS[1]; // host_void: 126 bytes of JSON at these timestamps
const small = batchOf([voidRecord]);

function setUp(maxLength: number) {
  const dest = memoryDestination();
  const env = testEnv();
  const sink = new UstJsonSink(dest, resolveUstJsonOptions({ file: 'x.json', minLength: 0, maxLength }, env.pid), env);
  sink.describe(HOST);
  return { dest, sink, env };
}

describe('maxLength', () => {
  it('drops what does not fit while the destination stalls, and reports the count where the gap is', async () => {
    const { dest, sink, env } = setUp(1000);
    dest.stall();
    for (let i = 0; i < 20; i++) sink.write(small);
    // 7 × 126 = 882 bytes fit under 1000; the 8th would make 1008.
    expect(sink.stats!()).toMatchObject({ records: 7, dropped: 13 });
    dest.release();
    await sink.flush();
    sink.write(small);
    await sink.close();
    const lines = dest.bytes().toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.name)).toEqual([...Array(7).fill('host:host_void'), 'unitrace:dropped', 'host:host_void']);
    expect(lines[7]).toEqual({ name: 'unitrace:dropped', timestamp: env.clock.nowNs(), origin: 'host', fields: { count: 13 } });
    expect(sink.stats!()).toMatchObject({ records: 8, dropped: 13, errors: 0 });
    expect(env.errors).toEqual([]);
  });

  it('never has more than maxLength bytes in flight', async () => {
    const { dest, sink } = setUp(1000);
    dest.stall();
    for (let i = 0; i < 50; i++) sink.write(small);
    const inFlight = dest.calls.reduce((n, c) => n + c.length, 0);
    expect(inFlight).toBeLessThanOrEqual(1000);
    dest.release();
    await sink.close();
  });

  it('the dropped record goes before the first record written after room returns', async () => {
    const { dest, sink } = setUp(300);
    dest.stall();
    for (let i = 0; i < 5; i++) sink.write(small); // 2 fit (252), 3 dropped
    dest.release();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    sink.write(small);
    await sink.close();
    const names = dest.bytes().toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(names.map((l) => l.name)).toEqual(['host:host_void', 'host:host_void', 'unitrace:dropped', 'host:host_void']);
    expect(names[2].fields.count).toBe(3);
  });

  it('a record larger than maxLength is still written when nothing else is buffered', async () => {
    const { dest, sink } = setUp(50);
    sink.write(small);
    await sink.close();
    expect(dest.bytes().length).toBe(126);
    expect(sink.stats!()).toMatchObject({ records: 1, dropped: 0 });
  });

  it('dropped notices from upstream that do not fit wait, and are never lost', async () => {
    const { dest, sink } = setUp(200);
    dest.stall();
    sink.write(small);
    sink.dropped(4, 123);
    sink.dropped(6, 456);
    dest.release();
    await sink.close();
    const recs = dest.bytes().toString().trim().split('\n').map((l) => JSON.parse(l));
    const total = recs.filter((r) => r.name === 'unitrace:dropped').reduce((n, r) => n + r.fields.count, 0);
    expect(total).toBe(10);
    expect(sink.stats!().dropped).toBe(0); // upstream losses are not this sink's own
  });
});
