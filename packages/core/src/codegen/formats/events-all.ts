// events-all: the whole catalog as one QEMU trace-events file (QEMU's trace-events-all), for tracetool and simpletrace.py.
import type { Catalog } from '../../catalog/catalog.js';
import { flattenCatalog } from '../../catalog/flatten.js';

/** Options of the events-all generator (none yet; the parameter keeps every target's signature alike). */
export type EventsAllOptions = Readonly<Record<string, never>>;

/**
 * Generates the catalog flattened to QEMU's own grammar, host first, then each guest in id order. Each char of the
 * result is one byte of the catalog files (they are read as latin1): write it with the `latin1` encoding, never as
 * UTF-8, or non-ASCII format bytes change. Pure: same catalog, same text.
 */
export function generateEventsAll(catalog: Catalog, _options: EventsAllOptions = {}): string {
  return flattenCatalog(catalog);
}
