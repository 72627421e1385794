// Small pieces of the machine kept apart: its private tracer and the default report of device faults.
import { TraceError, type Tracer, catalogFromText, createRegistry, createTracer } from '@unitrace/core';
import { TRACE_EVENTS_TEXT } from './generated/trace-catalog.js';

/** The name the emulator's embedded catalog is loaded under (it has no includes). */
export const EMULATOR_CATALOG_FILE = 'emulator/trace-events';

/**
 * A tracer over the emulator's own catalog with no sinks and every event disabled, so tracepoints are always
 * callable. It registers no exit hook. Tests may add sinks and enable events on it.
 */
export function createPrivateTracer(): Tracer {
  const catalog = catalogFromText(TRACE_EVENTS_TEXT, EMULATOR_CATALOG_FILE, {
    readFile: (path) => {
      throw new TraceError('E_INCLUDE', `the emulator's embedded catalog cannot include ${path}`);
    },
  });
  return createTracer({ registry: createRegistry(catalog), exitFlush: false });
}

/** The default device-fault report: one stderr line the first time each device fails. */
export function reportOncePerDevice(): (err: unknown, device: string) => void {
  const seen = new Set<string>();
  return (err, device) => {
    if (seen.has(device)) return;
    seen.add(device);
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`unitrace: device ${device} failed: ${message} (further failures are counted, not printed)\n`);
  };
}
