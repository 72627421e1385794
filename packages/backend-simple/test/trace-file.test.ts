// The monitor's trace-file operations (QEMU HMP `trace-file`, spec §4.3) on the simple sink.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError } from '@unitrace/core';
import { createSimpleSink, type TraceFileControl } from '../src/index.js';
import { openSimpleTrace, type SimpleTraceRecord } from '../src/reader.js';
import { registryOf, tempDir, testEnv, wordBatch } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const registry = registryOf('tf_word(uint64_t v) "%" PRIu64\n', { fw: 'fw_word(uint64_t v) "%" PRIu64\n' });
const events = registry.sources.flatMap((s) => s.events);

async function readAll(file: string): Promise<SimpleTraceRecord[]> {
  const out: SimpleTraceRecord[] = [];
  for await (const r of (await openSimpleTrace(file, { events })).records()) out.push(r);
  return out;
}
const values = (records: SimpleTraceRecord[]): Array<[string, bigint]> => records.map((r) => [r.name, r.args![0] as bigint]);

function describedSink(file: string, options: { sync?: boolean; enabled?: boolean; maxLength?: number } = {}) {
  const env = testEnv();
  const sink = createSimpleSink({ file, minLength: 0, ...options }, env);
  for (const s of registry.sources) sink.describe(s);
  return { sink, env };
}

for (const sync of [true, false]) {
  describe(`trace-file operations (${sync ? 'sync' : 'writer thread'})`, () => {
    it('reports the file name and state, `trace-<pid>` by default', async () => {
      const env = testEnv(0, 31337);
      const off = createSimpleSink({ enabled: false, sync }, env);
      expect(off.traceFile()).toEqual({ name: 'trace-31337', on: false });
      expect(existsSync('trace-31337')).toBe(false);
      await off.close();
      const file = tmp.file(`tf-${serial++}.bin`);
      const on = createSimpleSink({ file, sync }, env);
      expect(on.traceFile()).toEqual({ name: file, on: true });
      await on.close();
    });

    it('off then on truncates the file and starts it with a header and every mapping of every source', async () => {
      const file = tmp.file(`tf-${serial++}.bin`);
      const { sink } = describedSink(file, { sync });
      sink.write(wordBatch(registry, 'tf_word', [1]));
      await sink.flush();
      sink.setTraceFileEnabled(false);
      expect(sink.traceFile().on).toBe(false);
      expect(values(await readAll(file))).toEqual([['tf_word', 1n]]); // the old file was flushed when closed
      sink.write(wordBatch(registry, 'fw_word', [2])); // buffered while off, as QEMU's ring keeps it
      sink.setTraceFileEnabled(true);
      sink.write(wordBatch(registry, 'tf_word', [3]));
      await sink.close();
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 8)).toEqual(Buffer.alloc(8, 0xff));
      expect(bytes.indexOf(Buffer.from('tf_word'))).toBeGreaterThan(0);
      expect(bytes.indexOf(Buffer.from('fw_word'))).toBeGreaterThan(0);
      expect(values(await readAll(file))).toEqual([
        ['fw_word', 2n],
        ['tf_word', 3n],
      ]);
    });

    it('turning on a file that is on, or off one that is off, changes nothing', async () => {
      const file = tmp.file(`tf-${serial++}.bin`);
      const { sink } = describedSink(file, { sync });
      sink.write(wordBatch(registry, 'tf_word', [1]));
      await sink.flush();
      const before = statSync(file).size;
      sink.setTraceFileEnabled(true);
      expect(statSync(file).size).toBe(before);
      sink.setTraceFileEnabled(false);
      sink.setTraceFileEnabled(false);
      expect(sink.traceFile().on).toBe(false);
      await sink.close();
    });

    it('drops beyond the bound while off and puts a dropped record in the next file', async () => {
      const file = tmp.file(`tf-${serial++}.bin`);
      const { sink } = describedSink(file, { sync, maxLength: 5232 });
      sink.setTraceFileEnabled(false);
      for (let i = 0; i < 200; i++) sink.write(wordBatch(registry, 'tf_word', [i]));
      sink.setTraceFileEnabled(true);
      await sink.close();
      const got = await readAll(file);
      expect(got.filter((r) => r.kind === 'event').length).toBe(130);
      expect(got.filter((r) => r.kind === 'dropped').map((r) => r.args![0])).toEqual([70n]);
    });

    it('set FILE closes the old file complete and reopens under the new name if it was on', async () => {
      const first = tmp.file(`tf-${serial++}.bin`);
      const second = tmp.file(`tf-${serial++}.bin`);
      const { sink } = describedSink(first, { sync });
      sink.write(wordBatch(registry, 'tf_word', [1]));
      sink.setTraceFile(second);
      expect(sink.traceFile()).toEqual({ name: second, on: true });
      sink.write(wordBatch(registry, 'fw_word', [2]));
      await sink.close();
      expect(values(await readAll(first))).toEqual([['tf_word', 1n]]);
      expect(values(await readAll(second))).toEqual([['fw_word', 2n]]);
    });

    it('set FILE while off only renames', async () => {
      const first = tmp.file(`tf-${serial++}.bin`);
      const second = tmp.file(`tf-${serial++}.bin`);
      const { sink } = describedSink(first, { sync, enabled: false });
      sink.setTraceFile(second);
      expect(sink.traceFile()).toEqual({ name: second, on: false });
      expect(existsSync(first) || existsSync(second)).toBe(false);
      sink.setTraceFileEnabled(true);
      sink.write(wordBatch(registry, 'tf_word', [5]));
      await sink.close();
      expect(values(await readAll(second))).toEqual([['tf_word', 5n]]);
    });

    it('a file that cannot be opened is an E_IO error, and the sink stays off', async () => {
      const file = tmp.file(`tf-${serial++}.bin`);
      const { sink } = describedSink(file, { sync });
      const bad = tmp.file('missing-dir/trace.bin');
      expect(() => sink.setTraceFile(bad)).toThrow(expect.objectContaining({ code: 'E_IO' }));
      expect(sink.traceFile()).toEqual({ name: bad, on: false });
      expect(() => sink.write(wordBatch(registry, 'tf_word', [1]))).not.toThrow();
      await sink.close();
    });

    it('refuses operations after close with E_STATE, and an empty name with E_USAGE', async () => {
      const { sink } = describedSink(tmp.file(`tf-${serial++}.bin`), { sync });
      expect(() => sink.setTraceFile('')).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
      await sink.close();
      expect(() => sink.setTraceFileEnabled(true)).toThrow(expect.objectContaining({ code: 'E_STATE' }));
      const control: TraceFileControl = sink;
      expect(control.traceFile().on).toBe(false);
    });
  });
}

describe('createSimpleSink', () => {
  it('throws E_IO at creation for a file that cannot be opened', () => {
    let err: unknown;
    try {
      createSimpleSink({ file: tmp.file('no/such/dir/trace.bin') }, testEnv());
    } catch (e) {
      err = e;
    }
    expect(isTraceError(err, 'E_IO')).toBe(true);
    expect((err as Error).message).toMatch(/cannot open trace file .*no\/such\/dir\/trace\.bin/);
  });
});
