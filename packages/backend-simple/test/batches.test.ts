// The reader's batch view: records re-batched for sinks with registry ids, dropped notices in between.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, parseTraceEvents, type Registry } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { openSimpleTrace, type RegistryLookup, type SimpleTraceOptions } from '../src/reader.js';
import { registryOf, tempDir } from './support.js';
import { PayloadBuilder, TraceBuilder } from './trace-builder.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const GOLDEN = fileURLToPath(new URL('./golden/spec-5.4.bin', import.meta.url));
const NVRAM = fileURLToPath(new URL('../../core/test/fixtures/qemu-trace-events/hw/nvram/trace-events', import.meta.url));

function save(bytes: Uint8Array): string {
  const file = tmp.file(`batches-${serial++}.bin`);
  writeFileSync(file, bytes);
  return file;
}

/** Pumps a file's batches into an InMemorySink described with the registry's sources, as `unitrace convert` would. */
async function pump(file: string, registry: Registry, lookup: RegistryLookup, options?: SimpleTraceOptions, batchBytes?: number) {
  const memory = new InMemorySink();
  for (const s of registry.sources) memory.describe(s);
  const sizes: number[] = [];
  let error: unknown;
  try {
    const trace = await openSimpleTrace(file, options);
    for await (const chunk of trace.batches(lookup, { batchBytes })) {
      if (chunk.kind === 'batch') {
        sizes.push(chunk.batch.count);
        memory.write(chunk.batch);
      } else memory.dropped(chunk.count, chunk.timeNs);
    }
  } catch (err) {
    error = err;
  }
  return { memory, sizes, error };
}

describe('batches()', () => {
  const nvramText = readFileSync(NVRAM, 'latin1');
  const registry = registryOf(nvramText);

  it('re-batches the §5.4 vector with the registry ids and a dropped notice between batches', async () => {
    const { memory, error } = await pump(GOLDEN, registry, (name) => registry.lookup(name));
    expect(error).toBeUndefined();
    // In hw/nvram/trace-events fw_cfg_select and fw_cfg_read are the 6th and 7th events: ids 5 and 6, not 7 and 8.
    expect(memory.records.map((r) => [r.name, r.id, r.timestampNs, r.pid])).toEqual([
      ['fw_cfg_select', 5n, 1000000, 4242],
      ['fw_cfg_read', 6n, 1001500, 4242],
    ]);
    expect(memory.records[0].args).toEqual({ s: 0x55d925bd9490n, key_value: 0, key_name: 'signature', ret: 1 });
    expect(memory.records[1].args).toEqual({ s: 0x55d925bd9490n, ret: 0x51454d55n });
    expect(memory.drops).toEqual([{ count: 3, timeNs: 1002000 }]);
    expect(memory.undecodable).toBe(0);
  });

  it("keeps the file's ids when the lookup answers with a bare index", async () => {
    const { memory } = await pump(GOLDEN, registry, (name) => registry.lookup(name)?.index);
    expect(memory.records.map((r) => r.id)).toEqual([7n, 8n]);
  });

  it('stops at an event the registry lacks, after a batch with the records before it', async () => {
    const small = registryOf(nvramText.split('\n').filter((l) => !l.startsWith('fw_cfg_read(')).join('\n'));
    const { memory, error } = await pump(GOLDEN, small, (name) => small.lookup(name));
    expect(memory.records.map((r) => r.name)).toEqual(['fw_cfg_select']);
    expect(isTraceError(error, 'E_TRACE_FILE')).toBe(true);
    expect((error as Error).message).toMatch(/'fw_cfg_read' event is logged but the catalog it is converted with does not declare it/);
  });

  it('checks payloads against the registry declaration when no events list was given', async () => {
    const b = new TraceBuilder().header().mapping(0, 'fw_cfg_read').event(0, 1, 1, new PayloadBuilder().word(1).bytes());
    const { memory, error } = await pump(save(b.bytes()), registry, (name) => registry.lookup(name));
    expect(memory.records).toEqual([]);
    expect((error as Error).message).toMatch(/'fw_cfg_read' has a 8-byte payload, too short/);
  });

  it('yields the records before a truncation, then the error', async () => {
    const golden = new Uint8Array(readFileSync(GOLDEN));
    const { memory, error } = await pump(save(golden.subarray(0, 0xcd + 10)), registry, (name) => registry.lookup(name));
    expect(memory.records.map((r) => r.name)).toEqual(['fw_cfg_select', 'fw_cfg_read']);
    expect(memory.drops).toEqual([]);
    expect((error as { location?: unknown }).location).toMatchObject({ offset: 0xcd });
  });

  it('splits a long file into batches of at most batchBytes, across read buffers, losing nothing', async () => {
    const events = parseTraceEvents('b_word(uint64_t v) "%" PRIu64\nb_str(const char *s) "%s"\n', 'b/trace-events').events;
    const reg = registryOf('b_word(uint64_t v) "%" PRIu64\nb_str(const char *s) "%s"\n');
    const b = new TraceBuilder().header().mapping(0, 'b_word').mapping(1, 'b_str');
    const n = 20000;
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) b.event(1, i, 1, new PayloadBuilder().str('z'.repeat(i % 100)).bytes());
      else b.event(0, i, 1, new PayloadBuilder().word(i).bytes());
      if (i === 12345) b.dropped(i, 1, 77);
    }
    const file = save(b.bytes());
    const { memory, sizes, error } = await pump(file, reg, (name) => reg.lookup(name), { events, chunkBytes: 16 * 1024 }, 8192);
    expect(error).toBeUndefined();
    expect(memory.records.length).toBe(n);
    expect(memory.records.every((r, i) => r.timestampNs === i)).toBe(true);
    expect(memory.records[3].args).toEqual({ s: 'zzz' });
    expect(memory.drops).toEqual([{ count: 77, timeNs: 12345 }]);
    expect(sizes.length).toBeGreaterThan(n / 200);
    expect(memory.undecodable).toBe(0);
  });

  it("gives a dropped notice the record's pid, and its timestamp and count exactly as stored", async () => {
    const b = new TraceBuilder()
      .header()
      .mapping(0, 'fw_cfg_read')
      .dropped(2n ** 60n + 3n, 31337, 2n ** 64n - 2n)
      .event(0, 2n ** 60n + 5n, 4242, new PayloadBuilder().word(1).word(2).bytes())
      .dropped(9, 77, 1);
    const trace = await openSimpleTrace(save(b.bytes()));
    const drops: unknown[] = [];
    for await (const chunk of trace.batches((name) => registry.lookup(name))) {
      if (chunk.kind === 'dropped') drops.push({ pid: chunk.pid, timestampNs: chunk.timestampNs, exactCount: chunk.exactCount, offset: chunk.offset, count: chunk.count, timeNs: chunk.timeNs });
    }
    expect(drops).toEqual([
      { pid: 31337, timestampNs: 2n ** 60n + 3n, exactCount: 2n ** 64n - 2n, offset: 24 + 20 + 'fw_cfg_read'.length, count: 2 ** 64, timeNs: 2 ** 60 },
      { pid: 77, timestampNs: 9n, exactCount: 1n, offset: 24 + 20 + 'fw_cfg_read'.length + 40 + 48, count: 1, timeNs: 9 },
    ]);
  });

  it('adds the type word to version 3 records', async () => {
    const events = parseTraceEvents(nvramText, NVRAM).events;
    const read = events.findIndex((e) => e.name === 'fw_cfg_read');
    const b = new TraceBuilder().header(3).eventV3(read, 50, 3, new PayloadBuilder().word(1).word(2).bytes());
    const { memory, error } = await pump(save(b.bytes()), registry, (name) => registry.lookup(name), { events });
    expect(error).toBeUndefined();
    expect(memory.records.map((r) => [r.name, r.timestampNs, r.args])).toEqual([['fw_cfg_read', 50, { s: 1n, ret: 2n }]]);
  });
});
