// The formats of `unitrace convert --to`: one row each. Rows load their sink lazily; this module imports nothing
// at run time, so that `unitrace --help` stays fast.
import type { Sink, SinkEnv } from '@unitrace/core';
import type * as UstJson from '@unitrace/backend-ust-json';

/** One `--to` value: a line for `--help`, and how to make its sink (`file` undefined means stdout). */
export interface ConvertTarget {
  /** One line for `--help`. */
  readonly description: string;
  /** Makes the sink; throws TraceError (E_IO, E_SINK_OPTIONS) before writing anything when it cannot. */
  create(file: string | undefined, env: SinkEnv): Promise<Sink>;
}

const ustJson = (): Promise<typeof UstJson> => import('@unitrace/backend-ust-json');

/** Every target of `unitrace convert --to`, by name. */
export const CONVERT_TARGETS: Readonly<Record<string, ConvertTarget>> = {
  'ust-json': { description: 'LTTng-UST-style events, one JSON object per line', create: async (file, env) => (await ustJson()).createUstJsonSink({ file: file ?? 'stdout', encoding: 'json' }, env) },
  msgpack: { description: 'the same events as MessagePack', create: async (file, env) => (await ustJson()).createUstJsonSink({ file: file ?? 'stdout', encoding: 'msgpack' }, env) },
  chrome: { description: 'Chrome trace-event JSON for Perfetto and chrome://tracing', create: async (file, env) => (await import('../chrome/chrome-sink.js')).createChromeSink({ file }, env) },
};
