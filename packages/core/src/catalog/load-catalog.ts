// Loading a catalog: the include walk, catalog-wide name checks, id ranges and source hashes.
import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../errors.js';
import type { Diagnostic, EventDecl } from '../events/decl.js';
import { catalogHash } from './canonical.js';
import type { Catalog, CatalogSource } from './catalog.js';
import { catalogError } from './diagnostics.js';
import { guestBase, type IdRange, validateRanges } from './id-ranges.js';
import { walkIncludes, type WalkResult } from './walk-includes.js';

/** Options of the catalog loaders. */
export interface LoadCatalogOptions {
  /** Name of the host source (default `host`); guest names must differ from it. */
  readonly hostName?: string;
  /** Reads one file by absolute path; the default reads it as latin1 so each char is one byte. */
  readonly readFile?: (absPath: string) => string;
}

/**
 * Loads a catalog from its root file and every file it includes. Throws a TraceError when any error exists: its
 * message is the first error (`file:line:col: message`) and a count; `diagnosticsOf(err)` gives all of them.
 * Must not be used where a bad catalog is expected and must be reported in full: use `loadCatalogUnchecked`.
 */
export function loadCatalog(rootFile: string, options: LoadCatalogOptions = {}): Catalog {
  return checked(loadCatalogUnchecked(rootFile, options));
}

/**
 * Loads a catalog and returns it with every diagnostic, errors included (for `unitrace lint`). Sources of a catalog
 * with errors may be incomplete or mis-numbered: must not be fed to a registry or tracer.
 */
export function loadCatalogUnchecked(rootFile: string, options: LoadCatalogOptions = {}): Catalog {
  return build(rootFile, undefined, options);
}

/**
 * Builds a catalog from in-memory root text named `file` (includes are still read relative to `file`).
 * Throws like `loadCatalog`. Must not be given untrusted (guest) text without a `readFile` that refuses every path,
 * or its includes would read host files; must not be given text decoded as UTF-8 when format bytes matter.
 */
export function catalogFromText(text: string, file: string, options: LoadCatalogOptions = {}): Catalog {
  return checked(build(file, text, options));
}

function checked(catalog: Catalog): Catalog {
  const err = catalogError(catalog.diagnostics);
  if (err) throw err;
  return catalog;
}

function build(rootFile: string, rootText: string | undefined, options: LoadCatalogOptions): Catalog {
  const hostName = options.hostName ?? 'host';
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'latin1'));
  const walk = walkIncludes(rootFile, rootText, { hostName, readFile });
  const diagnostics = [...walk.diagnostics, ...duplicateEvents(walk)];

  const ranges: IdRange[] = [
    { name: hostName, kind: 'host', base: 0n, count: walk.hostEvents.length, pinned: false, location: { file: rootFile } },
  ];
  walk.guests.forEach((g, k) => {
    ranges.push({
      name: g.name,
      kind: 'guest',
      base: g.base ?? guestBase(k),
      count: g.events.length,
      pinned: g.base !== undefined,
      location: g.includedAt,
      includeChain: g.chain,
    });
  });
  diagnostics.push(...validateRanges(ranges));

  const host: CatalogSource = {
    name: hostName,
    kind: 'host',
    guestIndex: -1,
    base: 0n,
    pinned: false,
    events: walk.hostEvents,
    file: rootFile,
    hash: catalogHash(walk.hostEvents, 'host'),
  };
  const guests = walk.guests.map(
    (g, k): CatalogSource => ({
      name: g.name,
      kind: 'guest',
      guestIndex: k,
      base: ranges[k + 1]!.base,
      pinned: g.base !== undefined,
      events: g.events,
      file: g.file,
      includedAt: g.includedAt,
      hash: catalogHash(g.events, 'guest'),
    }),
  );
  return { sources: [host, ...guests], diagnostics, files: walk.files };
}

// Names are unique across the whole catalog, host and guests: a later declaration is the fault.
function duplicateEvents(walk: WalkResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, EventDecl>();
  for (const e of [...walk.hostEvents, ...walk.guests.flatMap((g) => g.events)]) {
    const earlier = first.get(e.name);
    if (earlier === undefined) {
      first.set(e.name, e);
      continue;
    }
    const chain = walk.chainOf.get(e);
    out.push({
      severity: 'error',
      code: 'E_DUPLICATE',
      message: `event '${e.name}' is already declared at ${place(earlier.location)}`,
      location: e.location,
      ...(chain ? { includeChain: chain } : {}),
    });
  }
  return out;
}

function place(loc: SourceLocation): string {
  return `${loc.file}:${loc.line ?? 0}:${loc.column ?? 0}`;
}
