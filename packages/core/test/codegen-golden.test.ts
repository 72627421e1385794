// Golden files of every codegen format (update with `npx vitest run -u` and review the diff), plus checks that do
// not trust the golden text: the generated code runs, the flattened catalog parses back, the ids match DESIGN.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { createManualClock } from '../src/clock.js';
import { generateCHeader } from '../src/codegen/formats/c-header.js';
import { generateEventsAll } from '../src/codegen/formats/events-all.js';
import { generateFirmwareTs } from '../src/codegen/formats/firmware-ts.js';
import { generateHostTs } from '../src/codegen/formats/host-ts.js';
import { generateIdsJson } from '../src/codegen/formats/ids-json.js';
import { parseTraceEvents } from '../src/events/parse-trace-events.js';
import { createRegistry } from '../src/registry/registry.js';
import { InMemorySink } from '../src/testing/in-memory-sink.js';
import { createTracer } from '../src/tracer/tracer.js';

const CATALOG_DIR = join(import.meta.dirname, 'golden', 'catalog');
const ROOT = join(CATALOG_DIR, 'trace-events');
const ORIGIN = 'test/golden/catalog/trace-events';
const catalog = loadCatalog(ROOT);

/** The bytes of a catalog file, one latin1 char per byte, as the loader reads them. */
const fileText = (rel: string): string => readFileSync(join(CATALOG_DIR, rel), 'latin1');

describe('codegen golden files', () => {
  it('host-ts', async () => {
    await expect(generateHostTs(catalog.sources[0], { origin: ORIGIN })).toMatchFileSnapshot('golden/host-ts/trace.ts.golden');
  });

  it('events-all', async () => {
    // The golden file holds the bytes `gen` writes (latin1 chars as bytes); the fixture's only non-ASCII bytes are
    // UTF-8, so reading those bytes as UTF-8 gives the text vitest stores byte for byte.
    const bytes = Buffer.from(generateEventsAll(catalog), 'latin1');
    await expect(bytes.toString('utf8')).toMatchFileSnapshot('golden/events-all/trace-events-all.golden');
  });

  it('ids-json', async () => {
    await expect(generateIdsJson(catalog, { origin: ORIGIN })).toMatchFileSnapshot('golden/ids-json/ids.json.golden');
  });

  const firmware = catalog.sources.find((s) => s.name === 'firmware')!;
  const kernel = catalog.sources.find((s) => s.name === 'kernel')!;

  it('firmware-ts', async () => {
    await expect(generateFirmwareTs(firmware, { origin: ORIGIN })).toMatchFileSnapshot('golden/firmware-ts/firmware.ts.golden');
    await expect(generateFirmwareTs(kernel, { origin: ORIGIN })).toMatchFileSnapshot('golden/firmware-ts/kernel.ts.golden');
  });

  it('c-header', async () => {
    await expect(generateCHeader(firmware, { origin: ORIGIN })).toMatchFileSnapshot('golden/c-header/firmware.h.golden');
    await expect(generateCHeader(kernel, { origin: ORIGIN })).toMatchFileSnapshot('golden/c-header/kernel.h.golden');
  });
});

describe('events-all', () => {
  const text = generateEventsAll(catalog);

  it('parses back, with QEMU grammar, into every event of every source in id order', () => {
    const parsed = parseTraceEvents(text, 'trace-events-all');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.includes).toEqual([]);
    const strip = (e: { name: string; format: string; disabled: boolean; args: readonly { name: string; type: { text: string } }[] }) => ({
      name: e.name,
      format: e.format,
      disabled: e.disabled,
      args: e.args.map((a) => `${a.type.text}|${a.name}`),
    });
    expect(parsed.events.map(strip)).toEqual(catalog.sources.flatMap((s) => s.events.map(strip)));
    expect(parsed.events.map((e) => e.name).slice(-5)).toEqual(['fw_boot', 'fw_value', 'fw_halt', 'fw_note', 'kernel_syscall']);
  });

  it('keeps the bytes of every format line of the source files (non-ASCII UTF-8 included)', () => {
    const lines = new Set(text.split('\n'));
    for (const file of ['trace-events', 'board/trace-events', 'firmware/trace-events', 'kernel/trace-events']) {
      for (const line of fileText(file).split('\n')) {
        if (line === '' || line.startsWith('#') || line.startsWith('include')) continue;
        expect(lines, `${file}: ${line}`).toContain(line);
      }
    }
    expect(Buffer.from(text, 'latin1').includes(Buffer.from('"note \u00ab%s\u00bb"', 'utf8'))).toBe(true);
  });

  it('contains no include line and ends every line with a newline', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter((l) => /^\s*include\b/.test(l))).toEqual([]);
  });
});

describe('ids-json', () => {
  const text = generateIdsJson(catalog, { origin: ORIGIN });
  const doc = JSON.parse(text) as {
    sources: { name: string; baseHex: string }[];
    events: { source: string; name: string; id: string; idHex: string; local: number; args: { name: string; type: string; kind: string; bits: number; signed: boolean }[]; format: string; disabled: boolean }[];
  };

  it('is ASCII only and ends with one newline', () => {
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('numbers host events from 0 and guests from their ranges (DESIGN.md, IDs)', () => {
    const byName = new Map(doc.events.map((e) => [e.name, e]));
    // Host: file order with the plain include inlined where it stands.
    expect(byName.get('fw_cfg_select')).toMatchObject({ source: 'host', id: '0', idHex: '0x0', local: 0 });
    expect(byName.get('board_irq')).toMatchObject({ id: '2', local: 2 });
    expect(byName.get('machine_debug')).toMatchObject({ id: '8', idHex: '0x8', disabled: true });
    // First guest: 0x8000000000000000 + local; 2^63 + 3 = 9223372036854775811.
    expect(byName.get('fw_note')).toMatchObject({ source: 'firmware', id: '9223372036854775811', idHex: '0x8000000000000003', local: 3 });
    // Pinned base 0x9000000000000000 = 10376293541461622784.
    expect(byName.get('kernel_syscall')).toMatchObject({ source: 'kernel', id: '10376293541461622784', idHex: '0x9000000000000000', local: 0 });
    expect(doc.sources.map((s) => `${s.name}@${s.baseHex}`)).toEqual(['host@0x0', 'firmware@0x8000000000000000', 'kernel@0x9000000000000000']);
  });

  it('types arguments for an LP64 x86-64 host (spec §5.1, §7)', () => {
    const args = new Map(doc.events.flatMap((e) => e.args.map((a) => [`${e.name}.${a.name}`, a])));
    expect(args.get('board_irq.c')).toEqual({ name: 'c', type: 'char', kind: 'int', bits: 8, signed: true });
    expect(args.get('board_irq.level')).toEqual({ name: 'level', type: 'bool', kind: 'int', bits: 8, signed: false });
    expect(args.get('board_mem.ul')).toEqual({ name: 'ul', type: 'unsigned long', kind: 'int', bits: 64, signed: false });
    expect(args.get('board_mem.sz')).toEqual({ name: 'sz', type: 'ssize_t', kind: 'int', bits: 64, signed: true });
    expect(args.get('board_str.dev')?.kind).toBe('string');
    expect(args.get('board_str.name')?.kind).toBe('string');
    // `char **` is a pointer, not a string: it has two stars.
    expect(args.get('board_str.argv')?.kind).toBe('pointer');
    expect(args.get('kernel_syscall.a0')).toEqual({ name: 'a0', type: 'long unsigned int', kind: 'int', bits: 64, signed: false });
  });

  it('keeps keys in a fixed order and shows a UTF-8 format as its text', () => {
    expect(Object.keys(doc.events[0])).toEqual(['source', 'name', 'id', 'idHex', 'local', 'disabled', 'args', 'format']);
    expect(doc.events.find((e) => e.name === 'fw_note')?.format).toBe('"note \u00ab%s\u00bb"');
    expect(doc.events.find((e) => e.name === 'fw_cfg_read')?.format).toBe('"%p = 0x%"PRIx64');
    expect(doc.events.find((e) => e.name === 'machine_ready')?.format).toBe('');
  });
});

describe('host-ts runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-host-ts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each argument as its C type converts it, and a disabled event writes nothing', async () => {
    const file = join(dir, 'trace.ts');
    const core = pathToFileURL(join(import.meta.dirname, '..', 'src', 'index.ts')).href;
    writeFileSync(file, generateHostTs(catalog.sources[0], { coreModule: core }));
    const mod = (await import(pathToFileURL(file).href)) as { bindTraceEvents(t: unknown): Record<string, (...a: unknown[]) => void> };
    const registry = createRegistry(catalog);
    const tracer = createTracer({ registry, clock: createManualClock(1000), pid: 7, exitFlush: false });
    const sink = new InMemorySink();
    tracer.addSink(sink);
    registry.enable('*');
    const trace = mod.bindTraceEvents(tracer);
    trace.fw_cfg_select(0x55d925bd9490n, 0x10019, 'signature', -1);
    trace.board_mem(0x1ff, 0x80, 0x12345, 0x8000, 0x1_0000_0001, -2, -1n, 5, -5, 2n ** 64n - 1n);
    trace.machine_debug(1);
    trace.machine_reset();
    await tracer.close();
    expect(sink.records.map((r) => r.name)).toEqual(['fw_cfg_select', 'board_mem', 'machine_reset']);
    const [select, mem] = sink.records;
    // uint16_t keeps the low 16 bits; int -1 is sign-extended to 64 bits in the record (spec §5.1).
    expect(select.raw).toEqual([0x55d925bd9490n, 0x19n, Uint8Array.from(Buffer.from('signature')), 0xffff_ffff_ffff_ffffn]);
    expect(mem.raw).toEqual([
      0xffn, // uint8_t 0x1ff
      0xffff_ffff_ffff_ff80n, // int8_t 0x80 is -128
      0x2345n, // uint16_t 0x12345
      0xffff_ffff_ffff_8000n, // int16_t 0x8000 is -32768
      1n, // uint32_t 0x100000001
      0xffff_ffff_ffff_fffen, // int32_t -2
      0xffff_ffff_ffff_ffffn, // int64_t -1
      5n,
      0xffff_ffff_ffff_fffbn, // ssize_t -5
      0xffff_ffff_ffff_ffffn,
    ]);
  });
});
