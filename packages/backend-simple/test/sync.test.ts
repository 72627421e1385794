// sync: true writes on the calling thread with fs.writeSync; false (the default) hands writing to a writer thread.
import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimpleSink } from '../src/index.js';
import { eventually, registryOf, tempDir, testEnv, wordBatch } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const registry = registryOf('sy_word(uint64_t v) "%" PRIu64\n');
const FULL = 24 + 27 + 40; // header, mapping of "sy_word", one record (spec §5.2)

describe('sync', () => {
  it('true: the bytes are in the file when write returns', async () => {
    const file = tmp.file(`sy-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: 0 }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'sy_word', [0x01020304050607]));
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(FULL);
    expect(bytes.readBigUInt64LE(FULL - 8)).toBe(0x01020304050607n);
    await sink.close();
  });

  it('true: flushSync writes a tail below minLength at once', async () => {
    const file = tmp.file(`sy-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'sy_word', [1]));
    expect(statSync(file).size).toBe(24);
    sink.flushSync();
    expect(statSync(file).size).toBe(FULL);
    await sink.close();
  });

  it('false: a writer thread writes the chunk while the caller goes on', async () => {
    const file = tmp.file(`sy-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: false, minLength: 0 }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'sy_word', [1]));
    expect(await eventually(() => statSync(file).size === FULL)).toBe(true);
    await sink.close();
  });

  it('false: flushSync writes on the calling thread, whatever the writer thread is doing', async () => {
    const file = tmp.file(`sy-${serial++}.bin`);
    const sink = createSimpleSink({ file }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'sy_word', [1]));
    sink.flushSync();
    expect(statSync(file).size).toBe(FULL);
    await sink.close();
  });
});
