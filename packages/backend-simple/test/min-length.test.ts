// minLength: records are held until a chunk of that many bytes is pending, then written out together.
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimpleSink } from '../src/index.js';
import { eventually, registryOf, tempDir, testEnv, wordBatch } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
// Sizes from spec §5.2: header 24; mapping of "ml_word" 20 + 7; event with one u64 argument 8 + 24 + 8.
const HEADER = 24;
const MAPPING = 27;
const RECORD = 40;
const registry = registryOf('ml_word(uint64_t v) "%" PRIu64\n');
const size = (file: string): number => statSync(file).size;

describe('minLength (sync)', () => {
  it('holds records until minLength bytes are pending, then writes all of them', async () => {
    const file = tmp.file(`ml-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: 400 }, testEnv());
    sink.describe(registry.sources[0]);
    for (let i = 0; i < 9; i++) sink.write(wordBatch(registry, 'ml_word', [i]));
    expect(size(file)).toBe(HEADER); // 27 + 9 × 40 = 387 < 400
    sink.write(wordBatch(registry, 'ml_word', [9]));
    expect(size(file)).toBe(HEADER + MAPPING + 10 * RECORD);
    await sink.close();
  });

  it('minLength 0 writes every batch as it comes', async () => {
    const file = tmp.file(`ml-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: 0 }, testEnv());
    sink.describe(registry.sources[0]);
    expect(size(file)).toBe(HEADER + MAPPING);
    sink.write(wordBatch(registry, 'ml_word', [1]));
    expect(size(file)).toBe(HEADER + MAPPING + RECORD);
    await sink.close();
  });
});

describe('minLength (writer thread)', () => {
  it('leaves a small tail buffered until flush, and writes a full chunk without being asked', async () => {
    const file = tmp.file(`ml-${serial++}.bin`);
    const sink = createSimpleSink({ file, minLength: 1000 }, testEnv());
    sink.describe(registry.sources[0]);
    sink.write(wordBatch(registry, 'ml_word', [1, 2, 3]));
    await new Promise((r) => setTimeout(r, 300));
    expect(size(file)).toBe(HEADER);
    await sink.flush();
    expect(size(file)).toBe(HEADER + MAPPING + 3 * RECORD);
    sink.write(wordBatch(registry, 'ml_word', Array.from({ length: 25 }, (_, i) => i)));
    const want = HEADER + MAPPING + 28 * RECORD;
    expect(await eventually(() => size(file) === want), `file size ${size(file)}, want ${want}`).toBe(true);
    await sink.close();
  });
});
