// Public face of @unitrace/core/testing: test doubles and the sink conformance suite (needs vitest).
export { InMemorySink } from './testing/in-memory-sink.js';
export type { CapturedRecord, CapturedDrop } from './testing/in-memory-sink.js';
export { sinkConformance } from './testing/sink-conformance.js';
export type { ConformanceHarness, ReadBack, ReadBackRecord, SinkConformanceOptions } from './testing/sink-conformance.js';
export { Tally, fuzzRuns, fuzzSeed, fuzzParameters, isLongFuzz, withinMs, LONG_FUZZ_FACTOR } from './testing/fuzz.js';
export type { FuzzParameters, ReliabilityFigures } from './testing/fuzz.js';
