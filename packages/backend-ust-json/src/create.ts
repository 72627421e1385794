// The factory and the module descriptor the CLI loads by name.
import { SINK_API_VERSION, type Sink, type SinkEnv, type SinkModule } from '@unitrace/core';
import { resolveUstJsonOptions, type UstJsonSinkOptions } from './options.js';
import { openDestination } from './output/destination.js';
import { UstJsonSink } from './ust-json-sink.js';

/**
 * Creates a ust-json sink: checks the options (TraceError 'E_SINK_OPTIONS'), then opens the file (TraceError 'E_IO'
 * when it cannot). The sink never throws afterwards; I/O failures go to `env.onError` once.
 */
export function createUstJsonSink(options: UstJsonSinkOptions, env: SinkEnv): Sink {
  const resolved = resolveUstJsonOptions(options as Readonly<Record<string, unknown>>, env.pid);
  return new UstJsonSink(openDestination(resolved.file), resolved, env);
}

/** The `ust-json` backend as `--backend ust-json[:FILE]` loads it. */
export const ustJsonSinkModule: SinkModule = {
  apiVersion: SINK_API_VERSION,
  name: 'ust-json',
  description: 'LTTng-UST-style events as JSON lines or MessagePack (ust-json:FILE, encoding=json|msgpack)',
  positionalOption: 'file',
  create: (options, env) => createUstJsonSink(options, env),
};
