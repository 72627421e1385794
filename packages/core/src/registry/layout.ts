// Lays a catalog out in one dense index space (QEMU iteration order, spec §3.3) and finds events by wire id.
import type { Catalog, CatalogSource } from '../catalog/catalog.js';
import { type SourceLocation, TraceError } from '../errors.js';
import type { EventRef, SourceInfo } from './types.js';

/** Wire ids 0xFFFF_FFFF_FFFF_FFFE (dropped) and 0xFFFF_FFFF_FFFF_FFFF (header) are never allocated (DESIGN.md). */
const FIRST_RESERVED_ID = 0xffff_ffff_ffff_fffen;
const U32_MASK = 0xffff_ffffn;

/** Every event and source of a catalog in registry order, with the lookups the registry answers. */
export interface Layout {
  readonly sources: readonly SourceInfo[];
  /** Indexed by registry index. */
  readonly events: readonly EventRef[];
  readonly eventByName: ReadonlyMap<string, EventRef>;
  readonly sourceByName: ReadonlyMap<string, SourceInfo>;
  /** The source whose id range holds `id`, found by binary search over the ranges. */
  sourceOfId(id: bigint): SourceInfo | undefined;
}

/**
 * Builds the layout: sources in catalog order (host first), events in id order, so registry index = position in
 * QEMU's iteration. Re-checks the invariants a loaded catalog already has (unique names, ranges inside u64, no
 * reserved id, no overlap) because id lookup would silently pick one of two overlapping ranges; throws TraceError
 * (E_DUPLICATE, E_ID_RANGE) when one fails. Must not be given a catalog that is still being mutated.
 */
export function buildLayout(catalog: Catalog): Layout {
  const sources: SourceInfo[] = [];
  const events: EventRef[] = [];
  const eventByName = new Map<string, EventRef>();
  const sourceByName = new Map<string, SourceInfo>();
  for (const [position, catalogSource] of catalog.sources.entries()) {
    checkRange(catalogSource);
    const source: SourceInfo = Object.freeze({ ...catalogSource, first: events.length, index: position });
    if (sourceByName.has(source.name)) {
      throw new TraceError('E_DUPLICATE', `source "${source.name}" is declared twice`, { location: where(source) });
    }
    sourceByName.set(source.name, source);
    sources.push(source);
    for (const [local, decl] of source.events.entries()) {
      // BigInt only here, once per event, so writers can use idLo/idHi on their hot path.
      const id = source.base + BigInt(local);
      const ref: EventRef = Object.freeze({
        index: events.length,
        id,
        idLo: Number(id & U32_MASK),
        idHi: Number(id >> 32n),
        local,
        source,
        decl,
      });
      if (eventByName.has(decl.name)) {
        throw new TraceError('E_DUPLICATE', `event "${decl.name}" is declared twice`, { location: decl.location });
      }
      eventByName.set(decl.name, ref);
      events.push(ref);
    }
  }
  return { sources, events, eventByName, sourceByName, sourceOfId: rangeFinder(sources) };
}

function checkRange(source: CatalogSource): void {
  const count = BigInt(source.events.length);
  if (source.base < 0n || (count > 0n && source.base + count > FIRST_RESERVED_ID)) {
    throw new TraceError(
      'E_ID_RANGE',
      `source "${source.name}" ids 0x${source.base.toString(16)}+${count} leave the u64 ids or hit a reserved id`,
      { location: where(source) },
    );
  }
}

/** Sorts the non-empty ranges once and returns a binary search over them; rejects overlapping ranges. */
function rangeFinder(sources: readonly SourceInfo[]): (id: bigint) => SourceInfo | undefined {
  const ranges = sources
    .filter((s) => s.events.length > 0)
    .sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  const ends = ranges.map((s) => s.base + BigInt(s.events.length));
  for (let i = 1; i < ranges.length; i++) {
    if (ends[i - 1] > ranges[i].base) {
      throw new TraceError(
        'E_ID_RANGE',
        `source "${ranges[i].name}" ids overlap the ids of source "${ranges[i - 1].name}"`,
        { location: where(ranges[i]) },
      );
    }
  }
  return (id) => {
    if (typeof id !== 'bigint') return undefined;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (id < ranges[mid].base) hi = mid - 1;
      else if (id >= ends[mid]) lo = mid + 1;
      else return ranges[mid];
    }
    return undefined;
  };
}

function where(source: CatalogSource): SourceLocation {
  return source.includedAt ?? { file: source.file };
}
