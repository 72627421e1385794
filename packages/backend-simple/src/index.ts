// Public face of @unitrace/backend-simple: the simpletrace v4 file backend.
import { SINK_API_VERSION, type SinkModule } from '@unitrace/core';
import { createSimpleSink } from './simple-sink.js';

export { createSimpleSink } from './simple-sink.js';
export type { SimpleSink, TraceFileControl } from './simple-sink.js';
export type { SimpleSinkOptions } from './options.js';
export { DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH, MIN_MAX_LENGTH } from './options.js';

/** The module `--backend simple[:FILE]` loads. Must not be mutated. */
const simpleBackend: SinkModule = {
  apiVersion: SINK_API_VERSION,
  name: 'simple',
  description: "QEMU simpletrace v4 binary file (readable by QEMU's simpletrace.py and `unitrace read`)",
  positionalOption: 'file',
  create: (options, env) => createSimpleSink(options, env),
};

export default simpleBackend;
