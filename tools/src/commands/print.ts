// `unitrace print`: a simpletrace file as QEMU's simpletrace.py prints it, or as log-backend lines.
import { type EventDecl, loadCatalog, TraceError } from '@unitrace/core';
import { catalogAndFile } from '../catalog-args.js';
import type { Output } from '../io/output.js';
import { LogLineWriter } from '../print/log-lines.js';
import { SimpletraceBatchPrinter } from '../simpletrace/batch-printer.js';

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
 * Prints every record of a trace file to `out`, streaming: the reader's batches are formatted from their bytes into
 * the output buffer, written out in 64 KiB chunks (the reader's two read buffers, one batch and one output chunk in
 * memory, whatever the file's size). `args` are `[CATALOG] TRACEFILE`. A corrupt record ends the output after every record before it, then the
 * reader's TraceError (with its byte offset) is thrown for the caller to print. Returns the exit status.
 */
export async function runPrint(args: readonly string[], options: PrintOptions, out: Output): Promise<number> {
  const style = options.style ?? 'simpletrace';
  if (!PRINT_STYLES.includes(style)) throw new TraceError('E_USAGE', `unknown style '${style}' (expected ${PRINT_STYLES.join(' or ')})`);
  const { catalog: catalogPath, file } = catalogAndFile(args, 'TRACEFILE');
  const catalog = loadCatalog(catalogPath);
  const { openSimpleTrace, DROPPED_EVENT_DECL } = await import('@unitrace/backend-simple/reader');
  // The catalog flattened in id order is the trace-events-all simpletrace.py would be given: for --no-header the
  // position in it is the id.
  const events = catalog.sources.flatMap((s) => s.events);
  const trace = await openSimpleTrace(file, { events, noHeader: options.header === false });
  // The batch view numbers each record's event by this lookup: one declaration per name, the later one winning,
  // as the reader itself picks it.
  const byName = new Map<string, number>();
  const decls: EventDecl[] = [];
  for (const e of events) {
    const i = byName.get(e.name);
    if (i === undefined) byName.set(e.name, decls.push(e) - 1);
    else decls[i] = e;
  }
  const simple = style === 'simpletrace' ? new SimpletraceBatchPrinter(decls, DROPPED_EVENT_DECL) : undefined;
  const log = new LogLineWriter(decls);
  try {
    // One await per batch (a few hundred to a few thousand records), none per record.
    for await (const chunk of trace.batches((name) => byName.get(name))) {
      let wrote: boolean;
      if (chunk.kind === 'batch') wrote = simple ? simple.batch(chunk.batch, out) : log.batch(chunk.batch, out);
      else if (simple) wrote = simple.dropped(chunk.pid, chunk.timestampNs, chunk.exactCount, out);
      else {
        log.dropped(out.buf, chunk.exactCount);
        wrote = out.flushIfFull();
      }
      if (wrote) {
        await out.ready();
        if (out.broken) break;
      }
    }
  } finally {
    await out.close();
  }
  return 0;
}
