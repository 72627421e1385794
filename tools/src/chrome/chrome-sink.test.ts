// The Chrome trace-event sink: the Sink contract (sinkConformance) and the shape Perfetto and chrome://tracing read.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  catalogFromText,
  createManualClock,
  createRegistry,
  createTracer,
  type EventDecl,
  type Sink,
  type SinkEnv,
  type SourceInfo,
} from '@unitrace/core';
import { sinkConformance, type ReadBackRecord } from '@unitrace/core/testing';
import { createChromeSink } from './chrome-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'unitrace-chrome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

interface TraceEvent {
  name: string;
  ph: string;
  s?: string;
  ts?: number;
  pid: number;
  tid: number;
  cat?: string;
  args: Record<string, unknown>;
}

function readTrace(file: string): { text: string; events: TraceEvent[] } {
  const text = readFileSync(file, 'latin1');
  const doc = JSON.parse(text) as { traceEvents: TraceEvent[]; displayTimeUnit: string };
  expect(doc.displayTimeUnit).toBe('ns');
  return { text, events: doc.traceEvents };
}

/** Converts a JSON argument back to what InMemorySink gives for the declared type (see `typedValue`). */
function typed(decl: EventDecl, name: string, value: unknown): number | bigint | boolean | string {
  const t = decl.args.find((a) => a.name === name)!.type;
  if (t.kind === 'string' || t.isBool) return value as string | boolean;
  if (t.kind === 'pointer' || t.bits === 64) {
    if (t.kind === 'pointer') expect(String(value)).toMatch(/^0x[0-9a-f]+$/);
    else if (typeof value === 'string') expect(Number.isSafeInteger(Number(value))).toBe(false);
    return BigInt(value as string | number);
  }
  return value as number;
}

sinkConformance({
  name: 'chrome',
  create(env: SinkEnv) {
    const file = join(dir, `conf-${fileNo++}.json`);
    const inner = createChromeSink({ file }, env);
    const decls = new Map<string, EventDecl>();
    const sink: Sink = {
      name: inner.name,
      describe(source: SourceInfo) {
        for (const e of source.events) decls.set(e.name, e);
        inner.describe(source);
      },
      write: (b) => inner.write(b),
      dropped: (c, t) => inner.dropped(c, t),
      flush: () => inner.flush(),
      close: () => inner.close(),
    };
    return {
      sink,
      async readBack() {
        const { events } = readTrace(file);
        const records: ReadBackRecord[] = [];
        let dropped = 0;
        for (const e of events) {
          if (e.ph !== 'i') continue;
          if (e.name === 'dropped') {
            dropped += e.args.count as number;
            continue;
          }
          const decl = decls.get(e.name)!;
          const args = Object.fromEntries(Object.entries(e.args).map(([k, v]) => [k, typed(decl, k, v)]));
          records.push({ name: e.name, timestampNs: Math.round(e.ts! * 1000), args });
        }
        return { records, dropped };
      },
    };
  },
});

const HOST = `host_tick(uint64_t n) "n %" PRIu64
host_mix(int i, uint64_t big, int64_t neg, bool b, void *p, const char *s, uint8_t u8, int16_t s16) ""
include "g" as fw
`;
const GUEST = 'fw_step(uint32_t step) "step %u"\n';

let lastText = '';

async function convertSample(run: (t: ReturnType<typeof createTracer>, clock: ReturnType<typeof createManualClock>) => void): Promise<TraceEvent[]> {
  const catalog = catalogFromText(HOST, 'te', { readFile: () => GUEST });
  const registry = createRegistry(catalog);
  registry.enable('*');
  const clock = createManualClock(1_000_000);
  const tracer = createTracer({ registry, clock, pid: 4242, exitFlush: false });
  const file = join(dir, `sample-${fileNo++}.json`);
  tracer.addSink(createChromeSink({ file }, { onError: (e) => { throw e; }, pid: 4242, clock }));
  run(tracer, clock);
  await tracer.close();
  const { text, events } = readTrace(file);
  lastText = text;
  return events;
}

describe('chrome trace-event output', () => {
  it('keeps nanoseconds as exact decimals of microseconds', async () => {
    const events = await convertSample((t, clock) => {
      for (const ns of [0, 500, 1, 10, 999_999, 2 ** 53 - 1_000_001]) {
        clock.set(Math.max(clock.nowNs(), 1_000_000 + ns));
        t.emit(0, [1]);
      }
    });
    const ticks = events.filter((e) => e.name === 'host_tick').map((e) => e.ts);
    // 1_000_000 ns = 1000 us; 1_000_500 ns = 1000.5 us; the last one is (2^53 - 1) ns, written with every digit.
    expect(ticks).toEqual([1000, 1000.5, 1000.5, 1000.5, 1999.999, (2 ** 53 - 1) / 1000]);
    expect(lastText).toContain('"ts":9007199254740.991,');
  });

  it('types arguments: safe integers as numbers, larger ones as decimal strings, pointers in hex', async () => {
    const events = await convertSample((t) => {
      t.emit(1, [-5, 2n ** 53n + 1n, -(2n ** 63n), true, 0xdeadbeef00n, 'caf\u00e9 "q"', 300, 0x8000]);
      t.emit(1, [0, 2n ** 53n - 1n, -(2n ** 53n) + 1n, false, null, null, 255, -1]);
    });
    const mixes = events.filter((e) => e.name === 'host_mix').map((e) => e.args);
    expect(mixes[0]).toEqual({ i: -5, big: '9007199254740993', neg: '-9223372036854775808', b: true, p: '0xdeadbeef00', s: 'caf\u00e9 "q"', u8: 44, s16: -32768 });
    expect(mixes[1]).toEqual({ i: 0, big: 9007199254740991, neg: -9007199254740991, b: false, p: '0x0', s: '', u8: 255, s16: -1 });
    expect(lastText).toContain('"caf\\u00e9 \\"q\\""');
    expect(/^[\x00-\x7f]*$/.test(lastText)).toBe(true);
  });

  it('puts the host and each guest on a track of its own, named by metadata events', async () => {
    const events = await convertSample((t) => {
      t.emit(0, [1]);
      const fw = t.registry.lookup('fw_step')!;
      t.writer.view.setUint32(t.beginAt(fw.index, 8, 2_000_000, 77), 9, true);
    });
    const meta = events.filter((e) => e.ph === 'M').map((e) => `${e.name} ${e.pid}/${e.tid} ${JSON.stringify(e.args)}`);
    expect(meta).toEqual([
      'process_name 1/0 {"name":"host"}',
      'process_sort_index 1/0 {"sort_index":1}',
      'process_name 2/0 {"name":"fw"}',
      'process_sort_index 2/0 {"sort_index":2}',
      'thread_name 1/4242 {"name":"host 4242"}',
      'thread_name 2/4242 {"name":"fw 4242"}',
    ]);
    const instants = events.filter((e) => e.ph === 'i').map((e) => `${e.name}@${e.pid}/${e.tid} ${e.cat} ${e.s}`);
    expect(instants).toEqual(['host_tick@1/4242 host t', 'fw_step@2/4242 fw t']);
  });

  it('writes lost records as a global instant event named dropped with the count', async () => {
    const events = await convertSample((t) => {
      t.emit(0, [1]);
      t.dropped(3, 1_500_000);
    });
    expect(events.filter((e) => e.name === 'dropped')).toEqual([{ name: 'dropped', cat: 'unitrace', ph: 'i', s: 'g', ts: 1500, pid: 1, tid: 4242, args: { count: 3 } }]);
  });
});
