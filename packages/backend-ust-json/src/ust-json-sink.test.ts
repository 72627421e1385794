// The sink against hostile batches and after close: it drops, counts, reports once, never throws.
import { describe, expect, it } from 'vitest';
import { BatchWriter, REC_LENGTH, REC_PAYLOAD, isTraceError } from '@unitrace/core';
import { HOST, RECORDS, batchOf } from '../test/support/corpus.js';
import { testEnv } from '../test/support/env.js';
import { memoryDestination } from '../test/support/memory-destination.js';
import { resolveUstJsonOptions } from './options.js';
import { UstJsonSink } from './ust-json-sink.js';

function setUp() {
  const dest = memoryDestination();
  const env = testEnv();
  const sink = new UstJsonSink(dest, resolveUstJsonOptions({ file: 'x.json', minLength: 0 }, env.pid), env);
  sink.describe(HOST);
  return { dest, sink, env };
}

const select = RECORDS[0]; // fw_cfg_select(void *s, uint16_t key_value, const char *key_name, int ret)
const names = (dest: ReturnType<typeof memoryDestination>): string[] =>
  dest.bytes().toString().trim().split('\n').map((l) => JSON.parse(l).name);

describe('hostile batches', () => {
  it('a string length running past its record drops that record only, reports once, never throws', async () => {
    const { dest, sink, env } = setUp();
    const batch = batchOf([select, select, select]);
    // key_name's u32 length sits after two 8-byte words of the payload
    batch.view.setUint32(batch.offsets[1] + REC_PAYLOAD + 16, 0xffff_fff0, true);
    batch.view.setUint32(batch.offsets[2] + REC_PAYLOAD + 16, 0x1000, true);
    expect(() => sink.write(batch)).not.toThrow();
    sink.write(batchOf([select]));
    await sink.close();
    expect(names(dest)).toEqual(['host:fw_cfg_select', 'unitrace:dropped', 'host:fw_cfg_select']);
    expect(env.errors.length).toBe(1);
    expect(isTraceError(env.errors[0], 'E_TRACE_FILE')).toBe(true);
    expect(sink.stats!()).toMatchObject({ records: 2, dropped: 2, errors: 1 });
  });

  it('a record length beyond the batch, and an event never described, are dropped the same way', async () => {
    const { dest, sink, env } = setUp();
    const batch = batchOf([select, select]);
    batch.view.setUint32(batch.offsets[1] + REC_LENGTH, 0x7fff_0000, true);
    sink.write(batch);
    const stranger = new BatchWriter();
    stranger.begin(999, 999, 0, 1, 1, 0, -1);
    sink.write(stranger);
    await sink.close();
    expect(names(dest)).toEqual(['host:fw_cfg_select', 'unitrace:dropped']);
    expect(env.errors.length).toBe(1); // the first encoding failure only
    expect(sink.stats!()).toMatchObject({ records: 1, dropped: 2 });
  });

  it('write and dropped after close neither throw nor write; the records are counted as dropped', async () => {
    const { dest, sink } = setUp();
    await sink.close();
    expect(() => sink.write(batchOf([select]))).not.toThrow();
    expect(() => sink.dropped(3, 1)).not.toThrow();
    expect(dest.calls).toEqual([]);
    expect(sink.stats!()).toMatchObject({ records: 0, dropped: 1 });
    expect(dest.closed).toBe(true);
  });

  it('counts every byte the destination took', async () => {
    const { dest, sink } = setUp();
    sink.write(batchOf(RECORDS.filter((r) => r.source === HOST)));
    await sink.close();
    expect(sink.stats!().bytes).toBe(dest.bytes().length);
  });
});
