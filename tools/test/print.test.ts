// `unitrace print` against its oracles: the spec §5.4 vector, a Python re-implementation of simpletrace.py (Python's
// own repr and '%0.3f'), and gcc-compiled printf for the log style, on files written by backend-simple.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArgValue, EventDecl } from '@unitrace/core';
import { eventsOfEveryType, Rng, valuesFor } from './support/corpus-events.js';
import { C_HEADERS, cInteger, cLiteral, runC } from './support/gcc.js';
import { cli, CORPUS, tempDir, type TraceItem, writeTrace } from './support/trace-files.js';

const tmp = tempDir('unitrace-print-');
afterAll(() => tmp.cleanup());

const NVRAM = join(CORPUS, 'hw', 'nvram', 'trace-events');
const VECTOR = join(import.meta.dirname, 'fixtures', 'spec-5.4.simpletrace');
const REF = join(import.meta.dirname, 'support', 'simpletrace-ref.py');

/** Spec §5.4: the exact output of QEMU's simpletrace.py for the 245-byte vector. */
const SPEC_OUTPUT =
  "fw_cfg_select 0.000 pid=4242 s=0x55d925bd9490 key_value=0x0 key_name=b'signature' ret=0x1\n" +
  'fw_cfg_read 1.500 pid=4242 s=0x55d925bd9490 ret=0x51454d55\n' +
  'Dropped_Event 0.500 pid=4242 num_events_dropped=0x3\n';

/** Runs the Python reference on a trace file with the given events (catalog order). */
function reference(events: readonly EventDecl[], file: string, noHeader = false): Buffer {
  const json = tmp.path(`events-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(json, JSON.stringify(events.map((e) => [e.name, e.args.map((a) => [a.type.text, a.name])])));
  return execFileSync('python3', [REF, json, file, ...(noHeader ? ['--no-header'] : [])], { maxBuffer: 64 * 1024 * 1024 });
}

describe('print: the spec §5.4 vector', { timeout: 60_000 }, () => {
  it('prints exactly what simpletrace.py printed', () => {
    const r = cli(['print', NVRAM, VECTOR]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.toString('latin1')).toBe(SPEC_OUTPUT);
  });

  it('is what the Python reference used by the other tests prints too', () => {
    // The two declarations of hw/nvram/trace-events the vector uses, by hand.
    const decls = [
      { name: 'fw_cfg_select', args: [['void *', 's'], ['uint16_t', 'key_value'], ['const char *', 'key_name'], ['int', 'ret']] },
      { name: 'fw_cfg_read', args: [['void *', 's'], ['uint64_t', 'ret']] },
    ].map((d) => ({ name: d.name, args: d.args.map(([text, name]) => ({ name, type: { text } })) })) as unknown as EventDecl[];
    expect(reference(decls, VECTOR).toString('latin1')).toBe(SPEC_OUTPUT);
  });
});

interface EveryTypeTrace {
  readonly catalog: string;
  readonly file: string;
  readonly events: EventDecl[];
  readonly items: TraceItem[];
  readonly types: string[];
}

let everyType: Promise<EveryTypeTrace> | undefined;
const everyTypeTrace = (): Promise<EveryTypeTrace> => (everyType ??= makeEveryTypeTrace());

/** One trace with records of every corpus argument type in random order, drops in between, odd time steps. */
async function makeEveryTypeTrace(): Promise<EveryTypeTrace> {
  const { events, types, text } = eventsOfEveryType();
  const catalog = tmp.path('every-type.trace-events');
  writeFileSync(catalog, text, 'latin1');
  const rng = new Rng(0x51a7);
  const items: TraceItem[] = [];
  let ns = 1_000_000;
  for (let n = 0; n < 600; n++) {
    // Mostly small steps with odd nanoseconds; sometimes a jump of hours.
    ns += rng.int(20) === 0 ? 3_600_000_000_000 + rng.int(1000) : 1 + rng.int(5_000_000);
    if (rng.int(50) === 0) items.push({ drop: 1 + rng.int(1000), ns });
    else {
      const e = events[rng.int(events.length)];
      items.push({ name: e.name, values: valuesFor(e, rng), ns });
    }
  }
  const file = tmp.path('every-type.simpletrace');
  await writeTrace(catalog, file, items, 31337);
  return { catalog, file, events, items, types };
}

describe('print --style simpletrace on files written by backend-simple', { timeout: 60_000 }, () => {
  it('covers the 45 argument types of the corpus (spec §8.2) and matches the Python reference byte for byte', async () => {
    const { catalog, file, events, types } = await everyTypeTrace();
    expect(types).toHaveLength(45);
    const r = cli(['print', catalog, file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const want = reference(events, file);
    expect(want.toString('latin1').split('\n').length).toBeGreaterThan(600);
    expect(r.stdout.toString('latin1')).toBe(want.toString('latin1'));
  });

  it('reads a file without a header, ids being positions in the catalog (--no-header)', async () => {
    const { catalog, file, events } = await everyTypeTrace();
    // Rebuild the file as SystemTap's simpletrace writes it: no header, no mappings, id = position in the list.
    const src = readFileSync(file);
    const names = new Map<bigint, string>();
    const parts: Buffer[] = [];
    let o = 24;
    while (o < src.length) {
      if (src.readBigUInt64LE(o) === 0n) {
        const n = src.readUInt32LE(o + 16);
        names.set(src.readBigUInt64LE(o + 8), src.subarray(o + 20, o + 20 + n).toString('latin1'));
        o += 20 + n;
        continue;
      }
      const len = src.readUInt32LE(o + 24);
      const rec = Buffer.from(src.subarray(o, o + 8 + len));
      const id = rec.readBigUInt64LE(8);
      if (id !== 0xfffffffffffffffen) rec.writeBigUInt64LE(BigInt(events.findIndex((e) => e.name === names.get(id))), 8);
      parts.push(rec);
      o += 8 + len;
    }
    const headerless = tmp.path('headerless.simpletrace');
    writeFileSync(headerless, Buffer.concat(parts));
    const r = cli(['print', '--no-header', catalog, headerless]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString('latin1')).toBe(reference(events, headerless, true).toString('latin1'));
    expect(r.stdout.toString('latin1')).toBe(cli(['print', catalog, file]).stdout.toString('latin1'));
  });
});

describe('print: a catalog with guest sources', { timeout: 60_000 }, () => {
  it('names guest records from their mappings (ids from 0x8000000000000000) and prints them like host ones', async () => {
    const dir = tmp.path('');
    writeFileSync(join(dir, 'guest-events'), 'fw_boot(uint32_t stage, const char *what) "stage %u %s"\nfw_idle(void) ""\n');
    writeFileSync(join(dir, 'host-events'), 'dev_reset(int how) "how %d"\ninclude "guest-events" as firmware\n');
    const catalog = join(dir, 'host-events');
    const file = tmp.path('guest.simpletrace');
    const registry = await writeTrace(catalog, file, [
      { name: 'dev_reset', values: [-1], ns: 10 },
      { name: 'fw_boot', values: [2, 'bios'], ns: 2010 },
      { name: 'fw_idle', values: [], ns: 2011 },
    ]);
    expect(registry.lookup('fw_boot')!.id).toBe(0x8000000000000000n);
    const r = cli(['print', catalog, file]);
    expect(r.stdout.toString('latin1')).toBe(
      ['dev_reset 0.000 pid=4242 how=0xffffffffffffffff', "fw_boot 2.000 pid=4242 stage=0x2 what=b'bios'", 'fw_idle 0.001 pid=4242 ', ''].join('\n'),
    );
    expect(r.stdout.toString('latin1')).toBe(reference(registry.sources.flatMap((s) => s.events), file).toString('latin1'));
  });
});

describe('print --style log', { timeout: 60_000 }, () => {
  it("prints each record as QEMU's log backend would, byte for byte with gcc's printf", async () => {
    const { catalog, file, events, items } = await everyTypeTrace();
    const byName = new Map(events.map((e, i) => [e.name, { e, i }]));
    const fns = events.map((e, i) => {
      const params = e.args.map((a, k) => `${a.type.text} a${k}`).join(', ') || 'void';
      const args = e.args.map((_, k) => `, a${k}`).join('');
      return `static void e${i}(${params}) { printf(${cLiteral(Buffer.from(`${e.name} `))} ${e.format} "\\n"${args}); }`;
    });
    const calls = items.map((item) => {
      if ('drop' in item) return `  fputs(${cLiteral(Buffer.from(`unitrace: dropped ${item.drop} ${item.drop === 1 ? 'event' : 'events'}\n`))}, stdout);`;
      const { e, i } = byName.get(item.name)!;
      const cArgs = e.args.map((a, k) => cValue(a.type.kind, item.values[k]));
      return `  e${i}(${cArgs.join(', ')});`;
    });
    const gcc = runC(`${C_HEADERS}${fns.join('\n')}\nint main(void) {\n${calls.join('\n')}\n  return 0;\n}\n`);
    const r = cli(['print', '--style', 'log', catalog, file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(gcc.length).toBeGreaterThan(10_000);
    const diff = firstDifference(r.stdout, gcc);
    expect(diff, 'first differing line (ours vs gcc)').toBeUndefined();
  });
});

/** A C argument for a stored value: the simple backend recorded a NULL string as an empty one. */
function cValue(kind: string, v: ArgValue): string {
  if (kind === 'string') return v instanceof Uint8Array ? cLiteral(v) : '""';
  const n = v === null || v === undefined ? 0n : typeof v === 'bigint' ? v : BigInt(v as number);
  return kind === 'pointer' ? `(void *)${cInteger(n)}` : cInteger(n);
}

function firstDifference(ours: Buffer, theirs: Buffer): { line: number; ours: string; gcc: string } | undefined {
  if (ours.equals(theirs)) return undefined;
  const a = ours.toString('latin1').split('\n');
  const b = theirs.toString('latin1').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, ours: JSON.stringify(a[i]), gcc: JSON.stringify(b[i]) };
  }
  return { line: -1, ours: `${ours.length} bytes`, gcc: `${theirs.length} bytes` };
}

describe('print: where simpletrace.py would crash', { timeout: 60_000 }, () => {
  const vector = readFileSync(VECTOR);

  it('a truncated last record: every line before it, then one line naming its byte offset, exit 1', () => {
    const cut = tmp.path('cut.simpletrace');
    writeFileSync(cut, vector.subarray(0, vector.length - 5));
    const r = cli(['print', NVRAM, cut]);
    expect(r.status).toBe(1);
    expect(r.stdout.toString('latin1')).toBe(SPEC_OUTPUT.split('\n').slice(0, 2).join('\n') + '\n');
    // The dropped record starts at 0xcd (spec §5.4 dump).
    expect(r.stderr).toMatch(/^unitrace: .*cut\.simpletrace: byte 205: .*truncated/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an id without a mapping record (simpletrace.py: KeyError): one line at the record, exit 1', () => {
    const bad = Buffer.from(vector);
    bad.writeBigUInt64LE(5n, 0x9d + 8); // the second event record names id 5, which nothing maps
    const file = tmp.path('unmapped.simpletrace');
    writeFileSync(file, bad);
    const r = cli(['print', NVRAM, file]);
    expect(r.status).toBe(1);
    expect(r.stdout.toString('latin1')).toBe(SPEC_OUTPUT.split('\n')[0] + '\n');
    expect(r.stderr).toMatch(/^unitrace: .*unmapped\.simpletrace: byte 157: .*\b5\b.*mapping/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an event the catalog does not declare: one line naming it, exit 1', () => {
    const catalog = tmp.path('only-select.trace-events');
    writeFileSync(catalog, readFileSync(NVRAM, 'latin1').split('\n').filter((l) => !l.startsWith('fw_cfg_read(')).join('\n'), 'latin1');
    const r = cli(['print', catalog, VECTOR]);
    expect(r.status).toBe(1);
    expect(r.stdout.toString('latin1')).toBe(SPEC_OUTPUT.split('\n')[0] + '\n');
    expect(r.stderr).toMatch(/^unitrace: .*byte 157: 'fw_cfg_read' event is logged but is not declared/);
  });

  it('a file that is not a trace: one line, exit 1, no output', () => {
    const file = tmp.path('not-a-trace');
    copyFileSync(NVRAM, file);
    const r = cli(['print', NVRAM, file]);
    expect(r.status).toBe(1);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/^unitrace: .*not-a-trace: byte 0: Not a valid trace file, header id 0x[0-9a-f]+ != 0xffffffffffffffff\n$/);
  });
});
