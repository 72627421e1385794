// sinkConformance(): the vitest suite every backend (ours or a third party's) runs to prove it keeps the Sink contract.
import { afterEach, describe, expect, it } from 'vitest';
import { catalogFromText } from '../catalog/load-catalog.js';
import { createManualClock } from '../clock.js';
import { BatchWriter } from '../record-writer.js';
import { createRegistry } from '../registry/registry.js';
import type { Registry } from '../registry/types.js';
import type { Sink, SinkEnv } from '../sink/sink.js';
import { createTracer, type Tracer } from '../tracer/tracer.js';
import { payloadBytes, writeArgs, type ArgValue } from '../values/arg-values.js';
import { InMemorySink, type CapturedRecord } from './in-memory-sink.js';

/** One record as a backend's own reader gives it back. Fields a format cannot carry are left out. */
export interface ReadBackRecord {
  readonly name: string;
  readonly id?: bigint;
  readonly timestampNs?: number;
  /** Arguments by name, typed as InMemorySink types them (numbers, bigints, booleans, strings). */
  readonly args?: Readonly<Record<string, number | bigint | boolean | string>>;
}

/** Everything a backend wrote, read back by its own reader. */
export interface ReadBack {
  readonly records: readonly ReadBackRecord[];
  /** The sum of the dropped records (or dropped notices) in the output. */
  readonly dropped: number;
}

/** A sink under test and a way to read back what it wrote. */
export interface ConformanceHarness {
  readonly sink: Sink;
  /** Reads back what the sink wrote. Called after the sink is closed. */
  readBack(): Promise<ReadBack>;
  /** For overloaded harnesses: lets the stalled output drain again. */
  release?(): void;
}

/** How sinkConformance makes sinks. */
export interface SinkConformanceOptions {
  /** Name of the describe block. */
  readonly name: string;
  /** A fresh sink with default options. */
  create(env: SinkEnv): ConformanceHarness | Promise<ConformanceHarness>;
  /**
   * A sink whose output cannot keep up (a small bound and a stalled destination) until `release()` is called:
   * it must drop, count what it drops, and report the count in its output once it can.
   */
  createOverloaded?(env: SinkEnv): ConformanceHarness | Promise<ConformanceHarness>;
}

const HOST = `# sinkConformance catalog
conf_void(void) ""
conf_ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f, int64_t g, uint64_t h) "a %d b %u c %d d %u e %d f %u g %" PRId64 " h %" PRIu64
conf_misc(bool flag, void *ptr, char ch, long l, size_t sz, unsigned u) "flag %d ptr %p ch %c l %ld sz %zu u 0x%x"
conf_str(const char *s, const char *t) "s \\"%s\\" t %s"
conf_ten(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9) "%d %d %d %d %d %d %d %d %d %d"
include "guest-events" as conf_guest
`;
const GUEST = `conf_guest_step(uint32_t step, const char *what) "step %u %s"
conf_guest_value(uint64_t v) "v 0x%" PRIx64
`;

/** The values every conformance run emits, per event name: edge values of every C type. */
const SAMPLES: ReadonlyArray<readonly [string, readonly ArgValue[]]> = [
  ['conf_void', []],
  ['conf_ints', [-128, 255, -32768, 65535, -2147483648, 4294967295, -(2n ** 63n), 2n ** 64n - 1n]],
  ['conf_ints', [127, 0, 32767, 0, 2147483647, 0, 2n ** 63n - 1n, 0n]],
  ['conf_ints', [-1, -1, -1, -1, -1, -1, -1n, -1n]],
  ['conf_misc', [true, 0x55d925bd9490n, 65, -9007199254740993n, 2n ** 53n + 1n, 0xdeadbeef]],
  ['conf_misc', [false, null, -1, 0, 0, 0]],
  ['conf_str', ['hello', '']],
  ['conf_str', [null, 'quote " backslash \\ newline \n tab \t ünïcödé']],
  ['conf_str', ['x'.repeat(600), 'y']],
  ['conf_ten', [0, 1, 2, 3, 4, 5, 6, 7, 8, -9]],
  ['conf_guest_step', [1, 'power-on']],
  ['conf_guest_value', [0x8000000000000000n]],
];

function makeRegistry(): Registry {
  const catalog = catalogFromText(HOST, 'conformance/trace-events', {
    readFile: (path: string) => {
      if (path.endsWith('guest-events')) return GUEST;
      throw new Error(`no such file ${path}`);
    },
  });
  return createRegistry(catalog);
}

function makeEnv(errors: unknown[]): SinkEnv {
  return { onError: (err) => errors.push(err), pid: 4242, clock: createManualClock(1_000_000) };
}

function emitSamples(tracer: Tracer, rounds = 1): number {
  const clock = tracer.clock as ReturnType<typeof createManualClock>;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [name, values] of SAMPLES) {
      const ev = tracer.registry.lookup(name)!;
      if (ev.source.kind === 'guest') {
        const o = tracer.beginAt(ev.index, payloadBytes(ev.decl.args, values), clock.nowNs(), 1000 + n);
        writeArgs(tracer.writer, o, ev.decl.args, values);
      } else tracer.emit(ev.index, values);
      clock.advance(1500);
      n++;
    }
  }
  return n;
}

function compare(got: readonly ReadBackRecord[], want: readonly CapturedRecord[]): void {
  expect(got.map((r) => r.name)).toEqual(want.map((r) => r.name));
  got.forEach((r, i) => {
    const w = want[i];
    if (r.id !== undefined) expect(r.id, `id of record ${i} (${w.name})`).toBe(w.id);
    if (r.timestampNs !== undefined) expect(r.timestampNs, `timestamp of record ${i}`).toBe(w.timestampNs);
    if (r.args !== undefined) expect(r.args, `args of record ${i} (${w.name})`).toEqual(w.args);
  });
}

/**
 * Defines a vitest suite proving that a sink keeps the Sink contract: every described event round-trips through
 * its own reader, write is synchronous and never throws, the sink keeps no reference to a batch, drops are counted
 * and reported, flush and close are idempotent. Call it at the top level of a test file.
 */
export function sinkConformance(options: SinkConformanceOptions): void {
  describe(`sinkConformance: ${options.name}`, () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    async function setUp(overloaded = false) {
      const errors: unknown[] = [];
      const env = makeEnv(errors);
      const harness = overloaded ? await options.createOverloaded!(env) : await options.create(env);
      const registry = makeRegistry();
      registry.enable('*');
      const tracer = createTracer({ registry, clock: env.clock, pid: env.pid, exitFlush: false });
      const memory = new InMemorySink();
      tracer.addSink(memory);
      tracer.addSink(harness.sink);
      cleanups.push(() => tracer.close());
      return { harness, tracer, memory, errors, registry };
    }

    it('describes, writes and reads back every event with exact ids, timestamps and values', async () => {
      const { harness, tracer, memory, errors } = await setUp();
      emitSamples(tracer, 3);
      await tracer.close();
      const back = await harness.readBack();
      expect(memory.records.length).toBe(SAMPLES.length * 3);
      compare(back.records, memory.records);
      expect(back.dropped).toBe(0);
      expect(errors).toEqual([]);
    });

    it('write is synchronous, returns nothing and never throws, even on an empty batch', async () => {
      const { harness } = await setUp();
      const empty = new BatchWriter();
      expect(harness.sink.write(empty)).toBeUndefined();
      expect(() => harness.sink.dropped(0, 0)).not.toThrow();
      await harness.sink.close();
    });

    it('keeps no reference to a batch after write returns', async () => {
      const { harness, tracer, memory } = await setUp();
      emitSamples(tracer);
      const given = tracer.writer.bytes;
      tracer.deliver();
      given.fill(0xa5); // the tracer reuses this buffer: scribble over what the sink was given
      await tracer.close();
      compare((await harness.readBack()).records, memory.records);
    });

    it('reports dropped counts in its output', async () => {
      const { harness, tracer } = await setUp();
      emitSamples(tracer);
      tracer.dropped(7);
      emitSamples(tracer);
      tracer.dropped(5);
      await tracer.close();
      const back = await harness.readBack();
      expect(back.dropped).toBe(12);
      expect(back.records.length).toBe(SAMPLES.length * 2);
    });

    it('flush and close are idempotent; write and flush after close neither throw nor reject', async () => {
      const { harness, tracer, memory } = await setUp();
      emitSamples(tracer);
      tracer.deliver();
      await harness.sink.flush();
      await harness.sink.flush();
      harness.sink.flushSync?.();
      await harness.sink.close();
      await harness.sink.close();
      await harness.sink.flush();
      expect(() => harness.sink.write(tracer.writer)).not.toThrow();
      const back = await harness.readBack();
      compare(back.records, memory.records);
    });

    if (options.createOverloaded) {
      it('under overload drops records, counts every one, and reports them once it can', async () => {
        const { harness, tracer } = await setUp(true);
        const emitted = emitSamples(tracer, 2000);
        tracer.deliver();
        const during = harness.sink.stats?.();
        harness.release?.();
        await tracer.flush();
        await tracer.close();
        const back = await harness.readBack();
        expect(during?.dropped ?? back.dropped, 'the overloaded sink dropped nothing: the harness does not overload it').toBeGreaterThan(0);
        expect(back.records.length + back.dropped).toBe(emitted);
      });
    }
  });
}
