// sinkConformance for both encodings, read back through readUstJson, plus an overloaded harness per encoding.
import { afterAll } from 'vitest';
import type { SinkEnv, SourceInfo } from '@unitrace/core';
import { sinkConformance, type ConformanceHarness } from '@unitrace/core/testing';
import { createUstJsonSink } from '../src/index.js';
import { resolveUstJsonOptions } from '../src/options.js';
import { UstJsonSink } from '../src/ust-json-sink.js';
import { tempDir } from './support/env.js';
import { readBack, recordingSink, stalledDestination } from './support/harness.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
let n = 0;

for (const encoding of ['json', 'msgpack'] as const) {
  sinkConformance({
    name: `ust-json (${encoding})`,
    create(env: SinkEnv): ConformanceHarness {
      const file = tmp.path(`trace-${n++}.${encoding}`);
      const sources: SourceInfo[] = [];
      const sink = recordingSink(createUstJsonSink({ file, encoding }, env), sources);
      return { sink, readBack: () => readBack(file, sources) };
    },
    createOverloaded(env: SinkEnv): ConformanceHarness {
      const file = tmp.path(`overloaded-${n++}.${encoding}`);
      const sources: SourceInfo[] = [];
      const dest = stalledDestination(file);
      const options = resolveUstJsonOptions({ file, encoding, minLength: '512', maxLength: '4k' }, env.pid);
      const sink = recordingSink(new UstJsonSink(dest, options, env), sources);
      return { sink, readBack: () => readBack(file, sources), release: () => dest.release() };
    },
  });
}
