// Picking the catalog source a per-source generator works on.
import { type Catalog, type CatalogSource, TraceError } from '@unitrace/core';

/** The host source, or TraceError('E_USAGE') when `--source` names another. */
export function hostSource(catalog: Catalog, wanted: string | undefined): CatalogSource {
  const host = catalog.sources[0];
  if (wanted !== undefined && wanted !== host.name) {
    throw new TraceError('E_USAGE', `this target generates for the host source '${host.name}', not '${wanted}'`);
  }
  return host;
}

/**
 * The guest source named `wanted`, or the only guest when `wanted` is undefined and there is exactly one. Throws
 * E_USAGE otherwise. For targets that generate guest code (firmware-ts, c-header).
 */
export function guestSource(catalog: Catalog, wanted: string | undefined): CatalogSource {
  const guests = catalog.sources.filter((s) => s.kind === 'guest');
  const names = guests.map((g) => g.name).join(', ') || 'none';
  if (wanted === undefined) {
    if (guests.length === 1) return guests[0];
    throw new TraceError('E_USAGE', `--source NAME is needed to pick a guest source (guests: ${names})`);
  }
  const found = guests.find((g) => g.name === wanted);
  if (!found) throw new TraceError('E_USAGE', `no guest source '${wanted}' in the catalog (guests: ${names})`);
  return found;
}
