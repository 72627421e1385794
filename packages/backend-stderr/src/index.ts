// Public face of @unitrace/backend-stderr: the factory, the sink type, its options, and the SinkModule.
import { SINK_API_VERSION, createMonotonicClock, type SinkEnv, type SinkModule } from '@unitrace/core';
import type { StderrSinkOptions } from './options.js';
import { StderrSink } from './stderr-sink.js';

export { StderrSink } from './stderr-sink.js';
export { DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH } from './options.js';
export type { StderrSinkOptions, StderrSinkStream, TimestampStyle, ColorMode } from './options.js';

function defaultEnv(): SinkEnv {
  let told = false;
  return {
    pid: process.pid,
    clock: createMonotonicClock(),
    onError(err: unknown): void {
      if (told) return;
      told = true;
      const message = err instanceof Error ? err.message : String(err);
      try {
        process.stderr.write(`unitrace: ${message} (further failures are counted, not printed)\n`);
      } catch {
        // Nowhere left to report to.
      }
    },
  };
}

/**
 * Creates a sink printing QEMU log-backend lines (`<name> <formatted>\n`, optionally timestamped) to stderr, a
 * descriptor, a stream or a file. `env` defaults to this process's pid, a CLOCK_MONOTONIC clock (the tracer's
 * default, so timestamps agree) and one stderr line for the first failure. Throws TraceError('E_SINK_OPTIONS') for a
 * bad option and TraceError('E_IO') for a file it cannot create; never throws once created.
 */
export function createStderrSink(options: StderrSinkOptions = {}, env: SinkEnv = defaultEnv()): StderrSink {
  return new StderrSink(options, env);
}

/** The backend as `--backend stderr[:TIMESTAMP]` / `--backend stderr:key=value,…` (alias `log`) loads it. */
const stderrBackend: SinkModule = {
  apiVersion: SINK_API_VERSION,
  name: 'stderr',
  description: "QEMU log-backend lines ('<name> <formatted>') on stderr, a descriptor or a file",
  positionalOption: 'timestamp',
  create: (options, env) => new StderrSink(options, env),
};

export default stderrBackend;
