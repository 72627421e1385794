// periodicFlushMs: whatever is buffered is written out on a timer, without reaching minLength or a flush call.
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimpleSink } from '../src/index.js';
import { eventually, registryOf, tempDir, testEnv, wordBatch } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const registry = registryOf('pf_word(uint64_t v) "%" PRIu64\n');
const FULL = 24 + 27 + 40; // header, mapping of "pf_word", one record (spec §5.2)

for (const sync of [true, false]) {
  describe(`periodicFlushMs (${sync ? 'sync' : 'writer thread'})`, () => {
    it('writes a tail below minLength on the next tick', async () => {
      const file = tmp.file(`pf-${serial++}.bin`);
      const sink = createSimpleSink({ file, sync, periodicFlushMs: 20 }, testEnv());
      sink.describe(registry.sources[0]);
      sink.write(wordBatch(registry, 'pf_word', [1]));
      expect(await eventually(() => statSync(file).size === FULL)).toBe(true);
      await sink.close();
    });

    it('without it, the tail waits for minLength or a flush', async () => {
      const file = tmp.file(`pf-${serial++}.bin`);
      const sink = createSimpleSink({ file, sync }, testEnv());
      sink.describe(registry.sources[0]);
      sink.write(wordBatch(registry, 'pf_word', [1]));
      await new Promise((r) => setTimeout(r, 200));
      expect(statSync(file).size).toBe(24);
      await sink.flush();
      expect(statSync(file).size).toBe(FULL);
      await sink.close();
    });
  });
}
