// Refusing generated tracepoints bound to a registry built from another catalog.
import { TraceError } from '../errors.js';
import type { Registry } from '../registry/types.js';

/**
 * Called by generated host tracepoints when they are bound: the registry's host source must be the one they were
 * generated from (same hash), or every record would carry the wrong id. Throws TraceError('E_CATALOG_MISMATCH')
 * naming both hashes and the first event that differs. Must not be skipped to "make it work".
 */
export function checkGeneratedCatalog(registry: Registry, sourceName: string, hash: string, names: readonly string[]): void {
  const host = registry.sources[0];
  if (host === undefined || host.kind !== 'host' || host.first !== 0) {
    throw new TraceError('E_CATALOG_MISMATCH', 'generated tracepoints need a registry whose first source is the host');
  }
  if (host.hash === hash) return;
  const n = Math.min(names.length, host.events.length);
  let first = 0;
  while (first < n && names[first] === host.events[first].name) first++;
  const where =
    first < n
      ? `event ${first} is ${host.events[first].name} in the catalog but ${names[first]} in the generated code`
      : names.length === host.events.length
        ? 'same event names, but argument types or formats differ'
        : `the catalog has ${host.events.length} events, the generated code ${names.length}`;
  throw new TraceError(
    'E_CATALOG_MISMATCH',
    `tracepoints generated for source ${sourceName} (catalog ${hash.slice(0, 16)}…) do not match the loaded catalog ` +
      `(${host.hash.slice(0, 16)}…): ${where}; regenerate them with unitrace gen --target host-ts`,
  );
}
