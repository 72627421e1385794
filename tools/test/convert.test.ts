// `unitrace convert`: a simpletrace file written by backend-simple, converted, must say what a sink attached to the
// live tracer would have said (ust-json, msgpack), or hold every record exactly (chrome).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock, createRegistry, createTracer, type EventDecl, loadCatalog } from '@unitrace/core';
import { createUstJsonSink } from '@unitrace/backend-ust-json';
import { eventsOfEveryType, Rng, valuesFor } from './support/corpus-events.js';
import { cli, CORPUS, tempDir, type TraceItem, writeTrace } from './support/trace-files.js';

const tmp = tempDir('unitrace-convert-');
afterAll(() => tmp.cleanup());
const PID = 31337;

interface Sample {
  readonly catalog: string;
  readonly file: string;
  readonly events: EventDecl[];
  readonly items: TraceItem[];
}

let sample: Promise<Sample> | undefined;

/** Records of every corpus argument type, a guest source, drops, and a few odd timestamps. */
function everyType(): Promise<Sample> {
  return (sample ??= (async () => {
    const { text } = eventsOfEveryType();
    writeFileSync(tmp.path('guest-events'), 'fw_step(uint32_t step, const char *what) "step %u %s"\n');
    const catalog = tmp.path('every-type.trace-events');
    writeFileSync(catalog, `${text}include "guest-events" as firmware\n`, 'latin1');
    const all = loadCatalog(catalog).sources.flatMap((s) => s.events);
    const rng = new Rng(0xc0de);
    const items: TraceItem[] = [];
    let ns = 5;
    for (let n = 0; n < 400; n++) {
      ns += 1 + rng.int(3_000_000);
      if (rng.int(40) === 0) items.push({ drop: 1 + rng.int(99), ns });
      else {
        const e = all[rng.int(all.length)];
        items.push({ name: e.name, values: valuesFor(e, rng), ns });
      }
    }
    const file = tmp.path('every-type.simpletrace');
    await writeTrace(catalog, file, items, PID);
    return { catalog, file, events: all, items };
  })());
}

/** What a live ust-json sink writes for the same records: the reference for convert. */
async function liveUstJson(catalog: string, items: readonly TraceItem[], encoding: 'json' | 'msgpack'): Promise<Buffer> {
  const registry = createRegistry(loadCatalog(catalog));
  registry.enable('*');
  const clock = createManualClock(0);
  const tracer = createTracer({ registry, clock, pid: PID, exitFlush: false });
  const file = tmp.path(`live.${encoding}`);
  tracer.addSink(createUstJsonSink({ file, encoding }, { onError: (e) => { throw e; }, pid: PID, clock }));
  for (const item of items) {
    clock.set(Math.max(clock.nowNs(), item.ns));
    if ('drop' in item) tracer.dropped(item.drop, item.ns);
    else tracer.emit(registry.lookup(item.name)!.index, item.values);
  }
  await tracer.close();
  return readFileSync(file);
}

describe('convert --to ust-json and msgpack', { timeout: 60_000 }, () => {
  for (const encoding of ['json', 'msgpack'] as const) {
    it(`writes what a live ${encoding} sink writes for the same records`, async () => {
      const { catalog, file, items } = await everyType();
      const out = tmp.path(`converted.${encoding}`);
      const r = cli(['convert', '--to', encoding === 'json' ? 'ust-json' : 'msgpack', '-o', out, catalog, file]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const want = await liveUstJson(catalog, items, encoding);
      expect(want.length).toBeGreaterThan(10_000);
      expect(readFileSync(out).equals(want)).toBe(true);
    });
  }

  it('writes to stdout without -o', async () => {
    const { catalog, file, items } = await everyType();
    const r = cli(['convert', '--to', 'ust-json', catalog, file]);
    expect(r.status).toBe(0);
    expect(r.stdout.equals(await liveUstJson(catalog, items, 'json'))).toBe(true);
  });
});

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  args: Record<string, unknown>;
}

/** The JSON value an argument must have, from the C conversion rules (spec §5.1) applied to the value given. */
function expectedJson(type: EventDecl['args'][number]['type'], v: unknown): unknown {
  if (type.kind === 'string') return v instanceof Uint8Array ? new TextDecoder().decode(v) : '';
  const n = v === null || v === undefined ? 0n : typeof v === 'bigint' ? v : BigInt(v as number);
  if (type.kind === 'pointer') return `0x${BigInt.asUintN(64, n).toString(16)}`;
  if (type.isBool) return n !== 0n;
  const c = type.signed ? BigInt.asIntN(type.bits, n) : BigInt.asUintN(type.bits, n);
  return c >= -(2n ** 53n - 1n) && c <= 2n ** 53n - 1n ? Number(c) : c.toString();
}

describe('convert --to chrome', { timeout: 60_000 }, () => {
  it('holds every record with its exact time, track and typed arguments, and every drop', async () => {
    const { catalog, file, events, items } = await everyType();
    const out = tmp.path('trace.json');
    const r = cli(['convert', '--to', 'chrome', '-o', out, catalog, file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'latin1');
    expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
    const doc = JSON.parse(text) as { traceEvents: TraceEvent[] };
    const instants = doc.traceEvents.filter((e) => e.ph === 'i');
    expect(instants).toHaveLength(items.length);
    const byName = new Map(events.map((e) => [e.name, e]));
    instants.forEach((e, i) => {
      const item = items[i];
      // Both sides are the double nearest to ns / 1000: equal only if no digit was lost.
      expect(e.ts).toBe(item.ns / 1000);
      expect(e.tid).toBe(PID);
      if ('drop' in item) {
        expect(e).toMatchObject({ name: 'dropped', args: { count: item.drop } });
        return;
      }
      const decl = byName.get(item.name)!;
      expect(e.name).toBe(item.name);
      expect(e.pid).toBe(decl.name === 'fw_step' ? 2 : 1);
      expect(e.args).toEqual(Object.fromEntries(decl.args.map((a, k) => [a.name, expectedJson(a.type, item.values[k])])));
    });
    const names = doc.traceEvents.filter((e) => e.name === 'process_name').map((e) => `${e.pid}:${e.args.name}`);
    expect(names).toEqual(['1:host', '2:firmware']);
  });

  it('ends a corrupt input with a well-formed document, then one error line and exit 1', async () => {
    const vector = readFileSync(join(import.meta.dirname, 'fixtures', 'spec-5.4.simpletrace'));
    const cut = tmp.path('cut.simpletrace');
    writeFileSync(cut, vector.subarray(0, vector.length - 5));
    const out = tmp.path('cut.json');
    const r = cli(['convert', '--to', 'chrome', '-o', out, join(CORPUS, 'hw', 'nvram', 'trace-events'), cut]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^unitrace: .*cut\.simpletrace: byte 205: .*truncated.*\n$/);
    const doc = JSON.parse(readFileSync(out, 'latin1')) as { traceEvents: TraceEvent[] };
    expect(doc.traceEvents.filter((e) => e.ph === 'i').map((e) => `${e.name}@${e.ts}`)).toEqual(['fw_cfg_select@1000', 'fw_cfg_read@1001.5']);
  });
});
