// `unitrace print`: a simpletrace file as QEMU's simpletrace.py prints it, or as log-backend lines.
import { loadCatalog, TraceError } from '@unitrace/core';
import { catalogAndFile } from '../catalog-args.js';
import type { Output } from '../io/output.js';
import { LogLineWriter } from '../print/log-lines.js';
import { SimpletraceFormatter } from '../simpletrace/formatter.js';

/** Output styles of `unitrace print`. */
export const PRINT_STYLES: readonly string[] = ['simpletrace', 'log'];

/** Options of `unitrace print`. */
export interface PrintOptions {
  /** `simpletrace` (default): simpletrace.py's lines; `log`: QEMU log-backend lines. */
  readonly style?: string;
  /** False for `--no-header`: the file has no header and ids are positions in the catalog (host, then guests). */
  readonly header?: boolean;
}

/**
 * Prints every record of a trace file to `out`, streaming (one read buffer and one output chunk in memory).
 * `args` are `[CATALOG] TRACEFILE`. A corrupt record ends the output after every record before it, then the
 * reader's TraceError (with its byte offset) is thrown for the caller to print. Returns the exit status.
 */
export async function runPrint(args: readonly string[], options: PrintOptions, out: Output): Promise<number> {
  const style = options.style ?? 'simpletrace';
  if (!PRINT_STYLES.includes(style)) throw new TraceError('E_USAGE', `unknown style '${style}' (expected ${PRINT_STYLES.join(' or ')})`);
  const { catalog: catalogPath, file } = catalogAndFile(args, 'TRACEFILE');
  const catalog = loadCatalog(catalogPath);
  const { openSimpleTrace } = await import('@unitrace/backend-simple/reader');
  // The catalog flattened in id order is the trace-events-all simpletrace.py would be given: for --no-header the
  // position in it is the id.
  const trace = await openSimpleTrace(file, { events: catalog.sources.flatMap((s) => s.events), noHeader: options.header === false });
  const simple = style === 'simpletrace' ? new SimpletraceFormatter() : undefined;
  const log = new LogLineWriter();
  try {
    for await (const rec of trace.records()) {
      if (simple) out.text(`${simple.line(rec.decl!, rec.timestampNs, rec.pid, rec.args!)}\n`);
      else if (rec.kind === 'dropped') log.dropped(out.buf, rec.args![0] as bigint);
      else log.event(out.buf, rec.decl!, rec.args!);
      if (out.flushIfFull()) {
        await out.ready();
        if (out.broken) break;
      }
    }
  } finally {
    await out.close();
  }
  return 0;
}
