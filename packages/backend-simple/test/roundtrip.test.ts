// Writer → file → reader for every argument type of the corpus (spec §8.2), strings, guest ids and late mappings.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchWriter, createTracer, payloadBytes, writeArgs, type ArgValue, type Registry } from '@unitrace/core';
import { createSimpleSink } from '../src/index.js';
import { openSimpleTrace, type SimpleTraceRecord } from '../src/reader.js';
import { registryOf, tempDir, testEnv } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;

const ALL_ONES = 0xffffffffffffffffn;
const PTR = 0x55d925bd9490n;
const S8: Array<[ArgValue, bigint]> = [[-1, ALL_ONES], [200, 0xffffffffffffffc8n], [127, 0x7fn]];
const U8: Array<[ArgValue, bigint]> = [[-1, 0xffn], [300, 0x2cn], [0, 0n]];
const S16: Array<[ArgValue, bigint]> = [[-2, 0xfffffffffffffffen], [40000, 0xffffffffffff9c40n]];
const U16: Array<[ArgValue, bigint]> = [[-1, 0xffffn], [70000, 0x1170n]];
const S32: Array<[ArgValue, bigint]> = [[-1, ALL_ONES], [0x80000000, 0xffffffff80000000n], [7, 7n]];
const U32: Array<[ArgValue, bigint]> = [[-1, 0xffffffffn], [0x100000005, 5n]];
const S64: Array<[ArgValue, bigint]> = [[-1n, ALL_ONES], [-(2n ** 63n), 0x8000000000000000n], [2 ** 53, 0x20000000000000n]];
const U64: Array<[ArgValue, bigint]> = [[ALL_ONES, ALL_ONES], [-1n, ALL_ONES], [12345, 12345n]];
const BOOL: Array<[ArgValue, bigint]> = [[true, 1n], [5, 1n], [false, 0n]];
const POINTER: Array<[ArgValue, bigint]> = [[PTR, PTR], [null, 0n]];

/**
 * Every raw argument type of the corpus (§8.2) with values and the u64 QEMU stores for them (§5.1: converted to
 * the C type, then sign- or zero-extended; x86-64, where char is signed). Worked out by hand from C's rules.
 */
const TYPES: Array<[string, Array<[ArgValue, bigint]>]> = [
  ['uint32_t', U32], ['int', S32], ['uint64_t', U64], ['void *', POINTER], ['uint8_t', U8], ['uint16_t', U16],
  ['unsigned', U32], ['bool', BOOL], ['unsigned int', U32], ['size_t', U64], ['int64_t', S64], ['int32_t', S32],
  ['unsigned long', U64], ['char', S8], ['const void *', POINTER], ['uintptr_t', U64], ['const char', S8],
  ['ssize_t', S64], ['long', S64], ['void*', POINTER], ['int8_t', S8], ['unsigned char', U8], ['unsigned short', U16],
  ['uint64_t *', POINTER], ['const int', S32], ['const uint8_t', U8], ['const void*', POINTER],
  ['const uint8_t *', POINTER], ['uint8_t *', POINTER], ['long unsigned int', U64], ['bool *', POINTER],
  ['int64_t *', POINTER], ['int16_t', S16], ['unsigned long long', U64], ['int *', POINTER], ['uint16_t *', POINTER],
  ['uint32_t *', POINTER], ['int8_t *', POINTER], ['int16_t *', POINTER], ['int32_t *', POINTER], ['char **', POINTER],
];
const STRING_TYPES = ['const char *', 'const char*', 'char *', 'char*'];

const catalog =
  TYPES.map(([type], k) => `rt_${k}(${type} v) ""\n`).join('') + STRING_TYPES.map((type, k) => `rt_s${k}(${type} s, int after) ""\n`).join('');

async function readAll(file: string, registry: Registry): Promise<SimpleTraceRecord[]> {
  const trace = await openSimpleTrace(file, { events: registry.sources.flatMap((s) => s.events) });
  const out: SimpleTraceRecord[] = [];
  for await (const r of trace.records()) out.push(r);
  return out;
}

for (const sync of [true, false]) {
  describe(`round trip (${sync ? 'sync' : 'writer thread'})`, () => {
    it('stores every corpus argument type as QEMU does', async () => {
      const registry = registryOf(catalog);
      registry.enable('*');
      const env = testEnv();
      const file = tmp.file(`types-${serial++}.bin`);
      const tracer = createTracer({ registry, clock: env.clock, pid: env.pid, exitFlush: false });
      tracer.addSink(createSimpleSink({ file, sync }, env));
      const want: Array<[string, bigint]> = [];
      TYPES.forEach(([, values], k) => {
        for (const [value, stored] of values) {
          tracer.emit(registry.lookup(`rt_${k}`)!.index, [value]);
          want.push([`rt_${k}`, stored]);
        }
      });
      await tracer.close();
      const got = await readAll(file, registry);
      expect(got.map((r) => [r.name, r.args![0]])).toEqual(want);
      expect(env.errors).toEqual([]);
    });

    it('stores strings of 0, 1, 512 and 600 bytes (cut at 512 bytes, even inside a UTF-8 sequence) and NULL', async () => {
      const registry = registryOf(catalog);
      registry.enable('*');
      const env = testEnv();
      const file = tmp.file(`strings-${serial++}.bin`);
      const tracer = createTracer({ registry, clock: env.clock, pid: env.pid, exitFlush: false });
      tracer.addSink(createSimpleSink({ file, sync }, env));
      const enc = new TextEncoder();
      const texts = ['', 'a', 'b'.repeat(512), 'c'.repeat(600), `${'d'.repeat(511)}é`, null];
      const want = texts.map((t) => (t === null ? new Uint8Array(0) : enc.encode(t).subarray(0, 512)));
      STRING_TYPES.forEach((_, k) => texts.forEach((t, i) => tracer.emit(registry.lookup(`rt_s${k}`)!.index, [t, i])));
      await tracer.close();
      const got = await readAll(file, registry);
      expect(got.length).toBe(STRING_TYPES.length * texts.length);
      got.forEach((r, n) => {
        const i = n % texts.length;
        expect(r.args![0], `${r.name} text ${i}`).toEqual(want[i]);
        expect(r.args![1]).toBe(BigInt(i));
      });
      expect(want.map((w) => w.length)).toEqual([0, 1, 512, 512, 512, 0]);
    });
  });
}

describe('guest sources and late descriptions', () => {
  const host = 'h_tick(uint32_t n) "n %u"\n';
  const guests = { fw: 'fw_boot(const char *stage) "%s"\nfw_value(uint64_t v) "%" PRIx64\n', os: 'os_irq(int line) "%d"\n' };

  it('keeps guest-range ids (base + local) in mappings and records', async () => {
    const registry = registryOf(host, guests);
    registry.enable('*');
    const env = testEnv();
    const file = tmp.file(`guest-${serial++}.bin`);
    const tracer = createTracer({ registry, clock: env.clock, pid: env.pid, exitFlush: false });
    tracer.addSink(createSimpleSink({ file, sync: true }, env));
    const guest = (name: string, values: ArgValue[]): void => {
      const ev = registry.lookup(name)!;
      const o = tracer.beginAt(ev.index, payloadBytes(ev.decl.args, values), env.clock.nowNs(), 77);
      writeArgs(tracer.writer, o, ev.decl.args, values);
    };
    tracer.emit(registry.lookup('h_tick')!.index, [1]);
    guest('fw_boot', ['rom']);
    guest('fw_value', [0xabcn]);
    guest('os_irq', [-3]);
    await tracer.close();
    const got = await readAll(file, registry);
    expect(got.map((r) => [r.name, r.id])).toEqual([
      ['h_tick', 0n],
      ['fw_boot', 0x8000000000000000n],
      ['fw_value', 0x8000000000000001n],
      ['os_irq', 0x8000000100000000n],
    ]);
    // The mapping records carry the same ids: search the file for the id of os_irq followed by its name.
    const bytes = readFileSync(file);
    const needle = Buffer.concat([Buffer.from([0, 0, 0, 0, 1, 0, 0, 0x80, 6, 0, 0, 0]), Buffer.from('os_irq')]);
    expect(bytes.indexOf(needle)).toBeGreaterThan(24);
  });

  it('writes the mappings of a source described mid-stream before its records, and the reader takes them', async () => {
    const registry = registryOf(host, guests);
    const env = testEnv();
    const file = tmp.file(`late-${serial++}.bin`);
    const sink = createSimpleSink({ file, sync: true, minLength: 0 }, env);
    const [hostSource, fwSource] = registry.sources;
    sink.describe(hostSource);
    const batch = new BatchWriter();
    const tick = registry.lookup('h_tick')!;
    const o = batch.begin(tick.index, tick.idLo, tick.idHi, 5, 1, 8, -1);
    batch.putNumber(o, 9);
    sink.write(batch);
    sink.describe(fwSource);
    batch.reset();
    const value = registry.lookup('fw_value')!;
    batch.putNumber(batch.begin(value.index, value.idLo, value.idHi, 6, 1, 8, 3), 10);
    sink.write(batch);
    await sink.close();
    const bytes = readFileSync(file);
    const hostRecordAt = bytes.indexOf(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]));
    const fwMappingAt = bytes.indexOf(Buffer.from('fw_value'));
    expect(hostRecordAt).toBeGreaterThan(0);
    expect(fwMappingAt).toBeGreaterThan(hostRecordAt);
    const got = await readAll(file, registry);
    expect(got.map((r) => [r.name, r.id, r.args])).toEqual([
      ['h_tick', 0n, [9n]],
      ['fw_value', 0x8000000000000001n, [10n]],
    ]);
  });
});
