// sync: blocking writes as soon as a chunk is ready; flushSync (the exit path) is synchronous in every mode.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createUstJsonSink } from '../src/index.js';
import { resolveUstJsonOptions } from '../src/options.js';
import { UstJsonSink } from '../src/ust-json-sink.js';
import { HOST, RECORDS, batchOf } from './support/corpus.js';
import { tempDir, testEnv } from './support/env.js';
import { stalledDestination } from './support/harness.js';
import { memoryDestination } from './support/memory-destination.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const hostRecords = RECORDS.filter((r) => r.source === HOST);

function memorySink(options: Record<string, unknown>, positioned = false) {
  const dest = memoryDestination(positioned);
  const env = testEnv();
  const sink = new UstJsonSink(dest, resolveUstJsonOptions({ file: 'x.json', ...options }, env.pid), env);
  sink.describe(HOST);
  return { dest, sink, env };
}

describe('sync', () => {
  it('true: the bytes are in the file when write returns', async () => {
    const file = tmp.path('sync.json');
    const sink = createUstJsonSink({ file, sync: true, minLength: 0 }, testEnv());
    sink.describe(HOST);
    sink.write(batchOf(hostRecords));
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBe(hostRecords.length);
    await sink.close();
  });

  it('true uses writeSync only; false uses asynchronous writes only', async () => {
    for (const sync of [true, false]) {
      const { dest, sink } = memorySink({ sync, minLength: 0 });
      sink.write(batchOf(hostRecords));
      sink.write(batchOf(hostRecords));
      await sink.close();
      expect(new Set(dest.calls.map((c) => c.kind))).toEqual(new Set([sync ? 'sync' : 'async']));
    }
  });
});

describe('flushSync', () => {
  it('writes the chunk being filled and a pending dropped record with blocking writes', () => {
    const { dest, sink, env } = memorySink({ minLength: '64k' });
    sink.write(batchOf(hostRecords));
    sink.dropped(3, 99);
    sink.flushSync!();
    expect(dest.calls.every((c) => c.kind === 'sync')).toBe(true);
    const lines = dest.bytes().toString().trim().split('\n');
    expect(lines.length).toBe(hostRecords.length + 1);
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ name: 'unitrace:dropped', timestamp: 99, origin: 'host', fields: { count: 3 } });
    expect(env.errors).toEqual([]);
  });

  it('on a file, rewrites a chunk whose asynchronous write is still in flight at its own offset: order holds', async () => {
    const file = tmp.path('inflight.json');
    const dest = stalledDestination(file);
    const env = testEnv();
    const sink = new UstJsonSink(dest, resolveUstJsonOptions({ file, minLength: 0 }, env.pid), env);
    sink.describe(HOST);
    sink.write(batchOf(hostRecords.slice(0, 4))); // in flight (stalled)
    sink.write(batchOf(hostRecords.slice(4))); // queued behind it
    sink.flushSync!(); // the process is exiting
    const expected = readFileSync(file, 'utf8');
    expect(expected.trim().split('\n').map((l) => JSON.parse(l).name)).toEqual(hostRecords.map((r) => `host:${r.event}`));
    dest.release(); // the late asynchronous write lands the same bytes on the same offset
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});
