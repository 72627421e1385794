// Sync mode writes a chunk-sized batch straight from the producer's buffer when nothing is queued: the file must hold
// exactly what queueing it would have written, in the same order, and nothing may be lost while the file is off.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { registryOf, tempDir, testEnv, wordBatch } from '../test/support.js';
import { createSimpleSink } from './index.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const registry = registryOf('wt_word(uint64_t v) "%" PRIu64\n');
const HEADER = 24;
const MAPPING = 20 + 'wt_word'.length; // spec §5.2: type, id, name length, name
const RECORD = 40; // type word, id, timestamp, length, pid, one u64 (spec §5.2)

/** The u64 argument of every record after the header and mapping. */
function values(file: string): bigint[] {
  const bytes = readFileSync(file);
  const out: bigint[] = [];
  for (let o = HEADER + MAPPING; o < bytes.length; o += RECORD) out.push(bytes.readBigUInt64LE(o + 32));
  return out;
}

describe('sync mode: batches of at least minLength bytes', () => {
  it('are in the file when write returns, byte for byte as the batch holds them', async () => {
    const file = tmp.file(`wt-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: 3 * RECORD }, testEnv());
    sink.describe(registry.sources[0]);
    const batch = wordBatch(registry, 'wt_word', [1, 2, 3, 4]);
    sink.write(batch);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(HEADER + MAPPING + 4 * RECORD);
    expect([...bytes.subarray(HEADER + MAPPING)]).toEqual([...batch.bytes.subarray(0, batch.byteLength)]);
    expect(sink.stats()).toMatchObject({ records: 4, dropped: 0, bytes: HEADER + MAPPING + 4 * RECORD });
    await sink.close();
  });

  it('go after the records still queued below minLength, never before them', async () => {
    const file = tmp.file(`wt-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: 3 * RECORD }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'wt_word', [1])); // below minLength: queued
    sink.write(wordBatch(registry, 'wt_word', [2, 3, 4, 5]));
    sink.write(wordBatch(registry, 'wt_word', [6, 7, 8]));
    sink.flushSync();
    expect(values(file)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    await sink.close();
  });

  it('are kept, not lost, while the file is off, and written when it is turned on', async () => {
    const file = tmp.file(`wt-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: RECORD, enabled: false }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'wt_word', [1, 2]));
    sink.write(wordBatch(registry, 'wt_word', [3, 4]));
    sink.setTraceFileEnabled(true);
    sink.flushSync();
    expect(values(file)).toEqual([1n, 2n, 3n, 4n]);
    expect(sink.stats()).toMatchObject({ records: 4, dropped: 0 });
    await sink.close();
  });
});
