// A destination that fails every write (/dev/full: ENOSPC): the sink loses only its own records, counts them,
// reports once through env.onError, and never throws into the tracer; other sinks keep everything.
import { afterEach, describe, expect, it } from 'vitest';
import { isTraceError, type Sink } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { createUstJsonSink } from '../src/index.js';
import { testEnv } from './support/env.js';
import { emit, makeTracer } from './support/tracer.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function setUp(options: { sync?: boolean; encoding?: 'json' | 'msgpack' }) {
  const env = testEnv();
  const { tracer, sinkFailures } = makeTracer(env.clock);
  const memory = new InMemorySink();
  const sink: Sink = createUstJsonSink({ file: '/dev/full', minLength: '1k', ...options }, env);
  tracer.addSink(memory);
  tracer.addSink(sink);
  closers.push(() => tracer.close());
  return { env, tracer, memory, sink, sinkFailures };
}

describe('writing to /dev/full', () => {
  for (const options of [{}, { sync: true }, { encoding: 'msgpack' as const }]) {
    it(`loses and counts only its own records, reports once, never throws (${JSON.stringify(options)})`, async () => {
      const { env, tracer, memory, sink, sinkFailures } = setUp(options);
      emit(tracer, 3000);
      await tracer.flush();
      emit(tracer, 1000); // after the failure: counted, not written, not reported again
      tracer.dropped(5);
      await tracer.flush();
      sink.flushSync?.();
      const status = tracer.sinkStatus().find((st) => st.name === 'ust-json')!;
      expect(status).toMatchObject({ delivered: 4000, lost: 0, failures: 0 });
      await tracer.close();

      expect(memory.records.length).toBe(4000);
      expect(sinkFailures).toEqual([]);
      expect(env.errors.length).toBe(1);
      const err = env.errors[0];
      expect(isTraceError(err, 'E_IO'), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/\/dev\/full.*ENOSPC|ENOSPC.*\/dev\/full/);
      const stats = sink.stats!();
      expect(stats.records + stats.dropped).toBe(4000);
      expect(stats.records).toBe(0);
      expect(stats.bytes).toBe(0);
      expect(stats.errors).toBe(1);
    });
  }
});
