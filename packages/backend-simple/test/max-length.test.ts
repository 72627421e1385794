// maxLength: the bound of buffered bytes; beyond it whole records are dropped, counted and reported.
import { afterAll, describe, expect, it } from 'vitest';
import { createSimpleSink, MIN_MAX_LENGTH } from '../src/index.js';
import { openSimpleTrace, type SimpleTraceRecord } from '../src/reader.js';
import { registryOf, tempDir, testEnv, wordBatch } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const registry = registryOf('mx_word(uint64_t v) "%" PRIu64\n');
const events = registry.sources[0].events;

async function readAll(file: string, evs = events): Promise<SimpleTraceRecord[]> {
  const out: SimpleTraceRecord[] = [];
  for await (const r of (await openSimpleTrace(file, { events: evs })).records()) out.push(r);
  return out;
}

describe('maxLength', () => {
  // A 40-byte record (8 + 24 + 8, spec §5.2) and the smallest bound, 5,232 bytes: 130 records fit (5,200), not 131.
  it('is at least the largest record plus a dropped record', () => {
    expect(MIN_MAX_LENGTH).toBe(32 + 10 * (4 + 512) + 40);
  });

  it('drops the records beyond the bound while the file is off, and the next file reports them', async () => {
    const file = tmp.file(`mx-${serial++}.bin`);
    const env = testEnv();
    const sink = createSimpleSink({ file, sync: true, minLength: 0, maxLength: MIN_MAX_LENGTH }, env);
    sink.describe(registry.sources[0]);
    sink.setTraceFileEnabled(false);
    for (let i = 0; i < 200; i++) sink.write(wordBatch(registry, 'mx_word', [i]));
    expect(sink.stats()).toMatchObject({ records: 130, dropped: 70 });
    env.clock.set(5_000_000);
    sink.setTraceFileEnabled(true);
    await sink.close();
    const got = await readAll(file);
    expect(got.length).toBe(131);
    expect(got.slice(0, 130).map((r) => r.args![0])).toEqual(Array.from({ length: 130 }, (_, i) => BigInt(i)));
    expect(got[130]).toMatchObject({ kind: 'dropped', args: [70n], timestampNs: 5_000_000n, pid: 4242 });
  });

  it('keeps the oldest whole records of a batch that does not fit, and drops the rest', async () => {
    const file = tmp.file(`mx-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, maxLength: MIN_MAX_LENGTH }, testEnv());
    sink.describe(registry.sources[0]);
    sink.setTraceFileEnabled(false);
    sink.write(wordBatch(registry, 'mx_word', Array.from({ length: 200 }, (_, i) => i)));
    expect(sink.stats()).toMatchObject({ records: 130, dropped: 70 });
    sink.setTraceFileEnabled(true);
    await sink.close();
    const got = await readAll(file);
    expect(got.map((r) => r.args![0])).toEqual([...Array.from({ length: 130 }, (_, i) => BigInt(i)), 70n]);
  });

  it('with the file on, a sync writer makes room instead of dropping', async () => {
    const file = tmp.file(`mx-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: MIN_MAX_LENGTH, maxLength: MIN_MAX_LENGTH }, testEnv());
    sink.describe(registry.sources[0]);
    for (let i = 0; i < 50; i++) sink.write(wordBatch(registry, 'mx_word', Array.from({ length: 20 }, (_, k) => i * 20 + k)));
    expect(sink.stats()).toMatchObject({ records: 1000, dropped: 0 });
    await sink.close();
    expect((await readAll(file)).length).toBe(1000);
  });

  it('with the file on, a sync writer writes a batch larger than the bound in pieces', async () => {
    const file = tmp.file(`mx-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, maxLength: MIN_MAX_LENGTH }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'mx_word', Array.from({ length: 1000 }, (_, i) => i))); // 40,000 bytes
    expect(sink.stats()).toMatchObject({ records: 1000, dropped: 0 });
    await sink.close();
    expect((await readAll(file)).map((r) => r.args![0])).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i)));
  });

  it('counts what is still buffered as dropped when the sink is closed with its file off', async () => {
    const sink = createSimpleSink({ file: tmp.file(`mx-${serial++}.bin`), sync: true, maxLength: MIN_MAX_LENGTH }, testEnv());
    sink.describe(registry.sources[0]);
    sink.setTraceFileEnabled(false);
    sink.write(wordBatch(registry, 'mx_word', Array.from({ length: 200 }, (_, i) => i)));
    await sink.close();
    expect(sink.stats()).toMatchObject({ records: 130, dropped: 200 });
  });

  it('never drops mappings: more of them than the whole buffer holds still go out, in order, before the records', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `mx_a_rather_long_event_name_${String(i).padStart(4, '0')}`);
    const big = registryOf(names.map((n) => `${n}(uint64_t v) ""\n`).join(''));
    const file = tmp.file(`mx-${serial++}.bin`);
    const env = testEnv();
    const sink = createSimpleSink({ file, sync: true, minLength: 0, maxLength: MIN_MAX_LENGTH }, env);
    sink.describe(big.sources[0]); // 3,000 × (20 + 33) bytes: more than twice the 70 KiB ring
    sink.write(wordBatch(big, names[2999], [7]));
    await sink.close();
    const got = await readAll(file, big.sources[0].events);
    expect(got.map((r) => [r.name, r.args![0]])).toEqual([[names[2999], 7n]]);
    expect(sink.stats().dropped).toBe(0);
    expect(env.errors).toEqual([]);
  });
});
