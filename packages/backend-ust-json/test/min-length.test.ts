// minLength: records gather until a chunk holds at least minLength bytes; chunks hold whole records only.
import { describe, expect, it } from 'vitest';
import { resolveUstJsonOptions } from '../src/options.js';
import { UstJsonSink } from '../src/ust-json-sink.js';
import { HOST, RECORDS, batchOf } from './support/corpus.js';
import { testEnv } from './support/env.js';
import { memoryDestination } from './support/memory-destination.js';

function sinkWith(options: Record<string, unknown>) {
  const dest = memoryDestination();
  const env = testEnv();
  const sink = new UstJsonSink(dest, resolveUstJsonOptions({ file: 'x.json', ...options }, env.pid), env);
  sink.describe(HOST);
  return { dest, sink, env };
}

const small = batchOf([RECORDS[1]]); // host_void: 126 bytes of JSON

describe('minLength', () => {
  it('holds records back until a chunk reaches minLength, then writes the whole chunk', async () => {
    const { dest, sink } = sinkWith({ minLength: 1000 });
    for (let i = 0; i < 7; i++) sink.write(small); // 7 × 126 = 882 bytes < 1000
    expect(dest.calls).toEqual([]);
    sink.write(small); // 1008 bytes ≥ 1000
    expect(dest.calls).toEqual([{ kind: 'async', length: 8 * 126, position: null }]);
    await sink.close();
    expect(dest.bytes().toString().split('\n').length - 1).toBe(8);
  });

  it('0 writes every batch as it comes', async () => {
    const { dest, sink } = sinkWith({ minLength: 0 });
    sink.write(small);
    expect(dest.calls).toEqual([{ kind: 'async', length: 126, position: null }]);
    sink.write(small); // queued behind the write in flight: one write at a time keeps the order
    sink.write(small);
    await sink.flush();
    expect(dest.calls.map((c) => c.length)).toEqual([126, 126, 126]);
    await sink.close();
  });

  it('flush writes what is below minLength', async () => {
    const { dest, sink } = sinkWith({ minLength: '64k' });
    sink.write(small);
    expect(dest.calls).toEqual([]);
    await sink.flush();
    expect(dest.bytes().length).toBe(126);
    await sink.close();
  });

  it('every chunk ends at a record boundary, even when a batch overflows a chunk', async () => {
    const { dest, sink } = sinkWith({ minLength: '64k' });
    const big = batchOf(Array.from({ length: 400 }, () => RECORDS.filter((r) => r.source === HOST)).flat());
    for (let i = 0; i < 3; i++) sink.write(big);
    await sink.close();
    expect(dest.calls.length).toBeGreaterThan(3);
    let at = 0;
    const all = dest.bytes();
    for (const c of dest.calls) {
      at += c.length;
      expect(all[at - 1], `chunk ending at ${at}`).toBe(0x0a);
    }
    expect(all.toString().trim().split('\n').length).toBe(3 * big.count);
  });
});
