// The 245-byte test vector of spec §5.4: the reader decodes it as simpletrace.py did; the writer reproduces it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTracer, parseTraceEvents, type RawArg } from '@unitrace/core';
import { createSimpleSink } from '../src/index.js';
import { openSimpleTrace, type SimpleTraceRecord } from '../src/reader.js';
import { registryOf, tempDir, testEnv } from './support.js';

const GOLDEN = fileURLToPath(new URL('./golden/spec-5.4.bin', import.meta.url));
const NVRAM = fileURLToPath(new URL('../../core/test/fixtures/qemu-trace-events/hw/nvram/trace-events', import.meta.url));

/** The exact output of scripts/simpletrace.py on the vector, from spec §5.4. */
const SIMPLETRACE_PY_OUTPUT = [
  "fw_cfg_select 0.000 pid=4242 s=0x55d925bd9490 key_value=0x0 key_name=b'signature' ret=0x1",
  'fw_cfg_read 1.500 pid=4242 s=0x55d925bd9490 ret=0x51454d55',
  'Dropped_Event 0.500 pid=4242 num_events_dropped=0x3',
];

/** Python's repr() of a bytes object, enough of it for printable ASCII, quotes and the usual escapes. */
function pyBytes(b: Uint8Array): string {
  const text = [...b]
    .map((c) => {
      if (c === 0x5c) return '\\\\';
      if (c === 0x27) return "\\'";
      if (c === 0x0a) return '\\n';
      if (c === 0x09) return '\\t';
      if (c === 0x0d) return '\\r';
      if (c < 0x20 || c > 0x7e) return `\\x${c.toString(16).padStart(2, '0')}`;
      return String.fromCharCode(c);
    })
    .join('');
  return `b'${text}'`;
}

/** simpletrace.py's default pretty-printer (§5.4), written from the spec, over our reader's records. */
function prettyPrint(records: readonly SimpleTraceRecord[]): string[] {
  let last: bigint | undefined;
  return records.map((r) => {
    const delta = last === undefined ? 0n : r.timestampNs - last;
    last = r.timestampNs;
    const fields = r.decl!.args.map((a, i) => {
      const v = r.args![i] as RawArg;
      return `${a.name}=${v instanceof Uint8Array ? pyBytes(v) : `0x${v.toString(16)}`}`;
    });
    return [r.name, (Number(delta) / 1000).toFixed(3), `pid=${r.pid}`, ...fields].join(' ');
  });
}

async function readAll(path: string, events?: Parameters<typeof openSimpleTrace>[1]): Promise<SimpleTraceRecord[]> {
  const trace = await openSimpleTrace(path, events);
  const out: SimpleTraceRecord[] = [];
  for await (const r of trace.records()) out.push(r);
  return out;
}

describe('spec §5.4 test vector', () => {
  const nvram = parseTraceEvents(readFileSync(NVRAM, 'latin1'), NVRAM).events;
  const golden = new Uint8Array(readFileSync(GOLDEN));
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('is the 245 bytes the spec lists', () => {
    expect(golden.length).toBe(245);
  });

  it('decodes to the names, timestamps, pid and arguments the spec gives', async () => {
    const records = await readAll(GOLDEN, { events: nvram });
    expect(records.map((r) => [r.kind, r.name, r.id, r.timestampNs, r.pid, r.offset])).toEqual([
      ['event', 'fw_cfg_select', 7n, 1000000n, 4242, 0x58],
      ['event', 'fw_cfg_read', 8n, 1001500n, 4242, 0x9d],
      ['dropped', 'Dropped_Event', 0xfffffffffffffffen, 1002000n, 4242, 0xcd],
    ]);
    expect(records[0].args).toEqual([0x55d925bd9490n, 0n, new TextEncoder().encode('signature'), 1n]);
    expect(records[1].args).toEqual([0x55d925bd9490n, 0x51454d55n]);
    expect(records[2].args).toEqual([3n]);
  });

  it("prints exactly what simpletrace.py printed for it", async () => {
    expect(prettyPrint(await readAll(GOLDEN, { events: nvram }))).toEqual(SIMPLETRACE_PY_OUTPUT);
  });

  it('decodes without an events list: names from the mappings, raw payloads', async () => {
    const records = await readAll(GOLDEN);
    expect(records.map((r) => r.name)).toEqual(['fw_cfg_select', 'fw_cfg_read', 'Dropped_Event']);
    expect(records[0].args).toBeUndefined();
    expect(records[0].payload).toEqual(golden.subarray(0x78, 0x9d));
    expect(records[2].args).toEqual([3n]);
  });

  it('is reproduced by the writer fed the same events through a tracer with a manual clock', async () => {
    // Seven dummy events first, so that fw_cfg_select gets id 7 and fw_cfg_read id 8, as in the vector.
    const dummies = Array.from({ length: 7 }, (_, i) => `dummy_${i}(void) ""\n`).join('');
    const decls = readFileSync(NVRAM, 'latin1')
      .split('\n')
      .filter((l) => l.startsWith('fw_cfg_select(') || l.startsWith('fw_cfg_read('))
      .join('\n');
    const registry = registryOf(`${dummies}${decls}\n`);
    registry.enable('fw_cfg_*');
    const env = testEnv(1_000_000, 4242);
    const file = tmp.file('vector.bin');
    const tracer = createTracer({ registry, clock: env.clock, pid: env.pid, exitFlush: false });
    tracer.addSink(createSimpleSink({ file, sync: true }, env));
    tracer.emit(registry.lookup('fw_cfg_select')!.index, [0x55d925bd9490n, 0, 'signature', 1]);
    env.clock.set(1_001_500);
    tracer.emit(registry.lookup('fw_cfg_read')!.index, [0x55d925bd9490n, 0x51454d55]);
    env.clock.set(1_002_000);
    tracer.dropped(3);
    await tracer.close();

    const out = new Uint8Array(readFileSync(file));
    const mappingBytes = (name: string): number => 20 + name.length;
    const allMappings = [...Array.from({ length: 7 }, (_, i) => `dummy_${i}`), 'fw_cfg_select', 'fw_cfg_read'];
    const recordsStart = 24 + allMappings.reduce((n, name) => n + mappingBytes(name), 0);
    expect(out.subarray(0, 24)).toEqual(golden.subarray(0, 24));
    // The writer maps every event of the source; the mappings of ids 7 and 8 are byte-identical to the vector's.
    expect(out.subarray(recordsStart - 0x58 + 0x18, recordsStart)).toEqual(golden.subarray(0x18, 0x58));
    expect(out.subarray(recordsStart)).toEqual(golden.subarray(0x58));
    expect(env.errors).toEqual([]);
  });
});
