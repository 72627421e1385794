// I/O errors: reported once through onError, lost records counted as dropped, the producer never sees a throw.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError } from '@unitrace/core';
import { createSimpleSink } from '../src/index.js';
import { openSimpleTrace } from '../src/reader.js';
import { registryOf, tempDir, testEnv, wordBatch } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const registry = registryOf('io_word(uint64_t v) "%" PRIu64\n');

/** A FIFO whose only reader goes away after the sink opened it: every later write fails with EPIPE. */
function brokenPipe(): string {
  const fifo = tmp.file(`pipe-${serial++}`);
  execFileSync('mkfifo', [fifo]);
  return fifo;
}

for (const sync of [true, false]) {
  describe(`I/O errors (${sync ? 'sync' : 'writer thread'})`, () => {
    it('EPIPE: one onError report, every lost record counted, no throw, flush and close resolve', async () => {
      const fifo = brokenPipe();
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const env = testEnv();
      const sink = createSimpleSink({ file: fifo, sync, minLength: 0 }, env);
      sink.describe(registry.sources[0]);
      await sink.flush();
      closeSync(reader);
      for (let i = 0; i < 20; i++) {
        expect(() => sink.write(wordBatch(registry, 'io_word', [i, i + 1]))).not.toThrow();
        await sink.flush();
      }
      await sink.close();
      expect(env.errors.length).toBe(1);
      expect(isTraceError(env.errors[0], 'E_IO')).toBe(true);
      expect((env.errors[0] as Error).message).toMatch(/cannot write trace file .*pipe-\d+: .*EPIPE/);
      const stats = sink.stats();
      expect(stats.records).toBe(40);
      expect(stats.dropped).toBe(40);
      expect(stats.errors).toBeGreaterThanOrEqual(1);
    });
  });
}

describe('a write cut short by the file size limit (RLIMIT_FSIZE)', () => {
  const child = fileURLToPath(new URL('./fixtures/fsize-child.ts', import.meta.url));

  for (const mode of ['sync', 'thread']) {
    it(`cuts the file back to its last whole record and reports the loss (${mode})`, async () => {
      const file = tmp.file(`fsize-${serial++}.bin`);
      // bash counts `ulimit -f` in 1024-byte blocks: writes past 4,096 bytes fail with EFBIG (SIGXFSZ is ignored).
      const run = spawnSync(
        'bash',
        ['-c', `ulimit -f 4 && exec "${process.execPath}" --conditions=@unitrace/source --import tsx "${child}" "${file}" ${mode}`],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { errors: string[]; records: number; dropped: number };
      expect(report.errors.length).toBe(1);
      expect(report.errors[0]).toMatch(/EFBIG|too large/i);
      const trace = await openSimpleTrace(file, { events: registry.sources[0].events });
      let read = 0;
      for await (const r of trace.records()) {
        expect(r.args![0]).toBe(BigInt(read));
        read++;
      }
      // 24 + 27 bytes of header and mapping, then 40-byte records: 101 whole records fit in 4,096 bytes.
      expect(read).toBe(101);
      expect(report.records).toBe(300);
      expect(report.dropped).toBe(300 - 101);
    });
  }
});
