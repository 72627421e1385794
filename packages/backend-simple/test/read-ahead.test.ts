// The reader's two buffers: the next read runs while one is decoded, the unconsumed tail is carried over, and every
// offset (records, errors) still names the right byte of the file.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, parseTraceEvents, type TraceError } from '@unitrace/core';
import { openSimpleTrace } from '../src/reader.js';
import { tempDir } from './support.js';
import { PayloadBuilder, TraceBuilder } from './trace-builder.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;

const EVENTS = parseTraceEvents('ev_str(const char *s, uint64_t n) "s %s n %" PRIu64\n', 'read-ahead/trace-events').events;

function save(bytes: Uint8Array): string {
  const file = tmp.file(`read-ahead-${serial++}.bin`);
  writeFileSync(file, bytes);
  return file;
}

/** About `n` records of 40 to 551 bytes (strings up to 512), so record edges fall everywhere in 16 KiB buffers. */
function longTrace(n: number): TraceBuilder {
  const b = new TraceBuilder().header().mapping(7, 'ev_str');
  for (let i = 0; i < n; i++) b.event(7, 1000 + i, 100 + (i % 3), new PayloadBuilder().str('z'.repeat((i * 37) % 513)).word(i).bytes());
  return b;
}

describe('read-ahead', () => {
  it('hands out every record with its file offset, in both views, across many buffers', async () => {
    const b = longTrace(3000);
    const file = save(b.bytes());
    expect(b.length).toBeGreaterThan(40 * 16 * 1024);
    const trace = await openSimpleTrace(file, { events: EVENTS, chunkBytes: 16 * 1024 });
    let i = 0;
    for await (const r of trace.records()) {
      if (r.offset !== b.starts[i + 1] || r.args![1] !== BigInt(i) || (r.args![0] as Uint8Array).length !== (i * 37) % 513) {
        expect([r.offset, r.args![1]], `record ${i}`).toEqual([b.starts[i + 1], BigInt(i)]);
      }
      i++;
    }
    expect(i).toBe(3000);
    let n = 0;
    let ts = 1000;
    for await (const chunk of trace.batches(() => 0, { batchBytes: 8192 })) {
      if (chunk.kind !== 'batch') continue;
      const batch = chunk.batch;
      for (let k = 0; k < batch.count; k++, n++, ts++) expect(batch.view.getUint32(batch.offsets[k] + 16, true)).toBe(ts);
    }
    expect(n).toBe(3000);
  });

  it('names the byte of a corrupt record found buffers into the file, after every record before it', async () => {
    const b = longTrace(2000);
    const bytes = b.bytes();
    const bad = 1500;
    const at = b.starts[bad + 1];
    new DataView(bytes.buffer).setUint32(at + 24, 5, true); // a length below the 24-byte header
    const file = save(bytes);
    const trace = await openSimpleTrace(file, { events: EVENTS, chunkBytes: 16 * 1024 });
    let records = 0;
    let error: unknown;
    try {
      for await (const _ of trace.records()) records++;
    } catch (err) {
      error = err;
    }
    expect(records).toBe(bad);
    expect(isTraceError(error, 'E_TRACE_FILE')).toBe(true);
    expect((error as TraceError).location).toEqual({ file, offset: at });

    let batched = 0;
    error = undefined;
    try {
      for await (const chunk of trace.batches(() => 0)) if (chunk.kind === 'batch') batched += chunk.batch.count;
    } catch (err) {
      error = err;
    }
    expect(batched).toBe(bad);
    expect((error as TraceError).location).toEqual({ file, offset: at });
  });

  it('stops early without leaving a read behind: the file can be read again at once, many times', async () => {
    const file = save(longTrace(2000).bytes());
    const trace = await openSimpleTrace(file, { events: EVENTS, chunkBytes: 16 * 1024 });
    for (let round = 0; round < 50; round++) {
      let k = 0;
      for await (const _ of trace.records()) if (++k === 3 + round) break;
      expect(k).toBe(3 + round);
      for await (const chunk of trace.batches(() => 0)) if (chunk.kind === 'batch') break;
    }
  });
});
