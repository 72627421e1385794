// Feeding a trace file to an Analyzer, as simpletrace.process does.
import { type EventDecl, loadCatalog, type RawArg, typedValue } from '@unitrace/core';
import { type Analyzer, type AnalyzerHandler, type AnalyzerValue, handlerFor } from './analyzer.js';

/** Options of `process`. */
export interface ProcessOptions {
  /** The file has no header (simpletrace.py --no-header): ids are positions in the catalog, host first. */
  readonly noHeader?: boolean;
}

const utf8 = new TextDecoder();

function argsOf(decl: EventDecl, raw: readonly RawArg[]): Record<string, AnalyzerValue> {
  const args: Record<string, AnalyzerValue> = {};
  decl.args.forEach((a, i) => {
    const v = typedValue(a.type, raw[i]);
    args[a.name] = v instanceof Uint8Array ? utf8.decode(v) : v;
  });
  return args;
}

/**
 * Reads `traceFile` with the events of the catalog at `catalogPath` and calls `analyzer`'s handlers for every
 * record in file order: `begin()` first, then one handler call per event or dropped record, then `end()` when the
 * whole file was read. Rejects with TraceError for a bad catalog, an unreadable or corrupt file (after the handlers
 * of every record before the corruption ran; `end()` is then not called), or whatever a handler threw.
 */
export async function process(analyzer: Analyzer, catalogPath: string, traceFile: string, options: ProcessOptions = {}): Promise<void> {
  const catalog = loadCatalog(catalogPath);
  const { openSimpleTrace } = await import('@unitrace/backend-simple/reader');
  const trace = await openSimpleTrace(traceFile, { events: catalog.sources.flatMap((s) => s.events), noHeader: options.noHeader === true });
  const handlers = new Map<EventDecl, AnalyzerHandler>();
  await analyzer.begin();
  for await (const rec of trace.records()) {
    const decl = rec.decl!;
    let handler = handlers.get(decl);
    if (handler === undefined) handlers.set(decl, (handler = handlerFor(analyzer, decl.name)));
    const raw = rec.args!;
    handler(argsOf(decl, raw), {
      event: decl,
      eventId: rec.kind === 'dropped' ? 'dropped' : rec.name,
      id: rec.id,
      timestampNs: rec.timestampNs,
      pid: rec.pid,
      raw,
    });
  }
  await analyzer.end();
}
