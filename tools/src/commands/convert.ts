// `unitrace convert`: a simpletrace file pumped, batch by batch, into another backend's sink.
import { statSync } from 'node:fs';
import { createRegistry, isTraceError, loadCatalog, type Sink, type SinkEnv, TraceError } from '@unitrace/core';
import { catalogAndFile } from '../catalog-args.js';
import { createProgress, type ProgressStream } from '../io/progress.js';
import { CONVERT_TARGETS } from './convert-targets.js';

/** Options of `unitrace convert`. */
export interface ConvertOptions {
  /** The format: a key of CONVERT_TARGETS. */
  readonly to: string;
  /** Output path; stdout when absent or `-`. */
  readonly output?: string;
  /** False for `--no-header`. */
  readonly header?: boolean;
  /** Where the progress bar may be drawn (stderr by default; only on a terminal). */
  readonly progressStream?: ProgressStream;
  /** Smallest input that gets a progress bar (default 16 MiB). */
  readonly progressMinBytes?: number;
}

/**
 * Converts `[CATALOG] TRACEFILE` to `options.to`, streaming: each batch the reader yields goes to the sink, and the
 * next one is read only after the sink flushed, so memory stays constant and the sink never drops. A corrupt record
 * ends the output cleanly after every record before it, then its TraceError is thrown. Returns the exit status.
 */
export async function runConvert(args: readonly string[], options: ConvertOptions): Promise<number> {
  const target = Object.hasOwn(CONVERT_TARGETS, options.to) ? CONVERT_TARGETS[options.to] : undefined;
  if (target === undefined) throw new TraceError('E_USAGE', `unknown format '${options.to}' (expected ${Object.keys(CONVERT_TARGETS).join(', ')})`);
  const { catalog: catalogPath, file } = catalogAndFile(args, 'TRACEFILE');
  const registry = createRegistry(loadCatalog(catalogPath));
  const { openSimpleTrace } = await import('@unitrace/backend-simple/reader');
  const trace = await openSimpleTrace(file, { events: registry.sources.flatMap((s) => s.events), noHeader: options.header === false });
  const output = options.output === '-' ? undefined : options.output;

  let lastNs = 0;
  const errors: unknown[] = [];
  let sink: Sink | undefined;
  // The sink is made at the first record so that its own records (drops) carry the trace's pid, not ours.
  const open = async (pid: number): Promise<Sink> => {
    const env: SinkEnv = { onError: (err) => errors.push(err), pid, clock: { nowNs: () => lastNs } };
    const s = await target.create(output, env);
    for (const source of registry.sources) s.describe(source);
    return s;
  };
  const total = statSync(file).size;
  const progress = await createProgress(total, 'converting', { stream: options.progressStream, minBytes: options.progressMinBytes });
  let done = 0;
  let failure: unknown;
  try {
    for await (const chunk of trace.batches((name) => registry.lookup(name))) {
      if (chunk.kind === 'batch') {
        const b = chunk.batch;
        sink ??= await open(b.view.getUint32(b.offsets[0] + 28, true));
        const last = b.offsets[b.count - 1];
        lastNs = b.view.getUint32(last + 16, true) + b.view.getUint32(last + 20, true) * 4294967296;
        sink.write(b);
        done += b.byteLength;
      } else {
        sink ??= await open(chunk.pid);
        lastNs = chunk.timeNs;
        sink.dropped(chunk.count, chunk.timeNs);
        done = chunk.offset;
      }
      await sink.flush();
      progress.update(done);
      if (errors.length > 0) break;
    }
  } catch (err) {
    failure = err;
  } finally {
    progress.stop();
  }
  sink ??= await open(0);
  await sink.close();
  if (failure !== undefined) throw failure;
  if (errors.length > 0) {
    const first = errors[0];
    throw isTraceError(first) ? first : new TraceError('E_IO', `${options.to} output failed: ${first instanceof Error ? first.message : String(first)}`, { cause: first });
  }
  return 0;
}
