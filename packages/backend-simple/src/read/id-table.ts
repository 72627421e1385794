// What a reader knows about each event id: its name, its declaration and how its payload is laid out.
import type { EventDecl } from '@unitrace/core';

/** One known event id. `target*` fields cache the registry lookup of the batch view. */
export interface IdEntry {
  readonly id: bigint;
  readonly name: string;
  /** The declaration from the events list, or undefined when no list was given. */
  readonly decl: EventDecl | undefined;
  /** True when the name is missing from a given events list (an error once a record uses it). */
  readonly undeclared: boolean;
  /** The declaration payloads are checked against (the list's, or the registry's in the batch view). */
  check: EventDecl | undefined;
  /** Payload bytes the arguments of `check` need when none is a string; -1 when some are (then it is walked). */
  fixedPayload: number;
  /** Registry index for the batch view: -2 not looked up yet, -1 unknown to the registry. */
  targetIndex: number;
  /** Wire id to write into copied records, as u32 halves; -1 keeps the file's id. */
  targetLo: number;
  targetHi: number;
}

/** Ids of the file to entries: a dense array for small host ids, maps for the rest (guest ranges). */
export class IdTable {
  readonly #dense: Array<IdEntry | undefined> = [];
  readonly #sparse = new Map<number, Map<number, IdEntry>>();
  readonly #byName: ReadonlyMap<string, EventDecl> | undefined;

  /** `events`: the trace-events list; later duplicates win, as in simpletrace.py. */
  constructor(events: readonly EventDecl[] | undefined) {
    if (events) this.#byName = new Map(events.map((e) => [e.name, e]));
  }

  /** Binds an id to a name (a mapping record, or a position in the events list). A later binding replaces it. */
  bind(lo: number, hi: number, id: bigint, name: string): void {
    const decl = this.#byName?.get(name);
    const entry: IdEntry = {
      id,
      name,
      decl,
      undeclared: this.#byName !== undefined && decl === undefined,
      check: undefined,
      fixedPayload: -1,
      targetIndex: -2,
      targetLo: -1,
      targetHi: -1,
    };
    checkWith(entry, decl);
    if (hi === 0 && lo < 65536) this.#dense[lo] = entry;
    else {
      let inner = this.#sparse.get(hi);
      if (!inner) this.#sparse.set(hi, (inner = new Map()));
      inner.set(lo, entry);
    }
  }

  /** The entry of id (lo, hi), or undefined. Allocates nothing. */
  get(lo: number, hi: number): IdEntry | undefined {
    if (hi === 0 && lo < 65536) return this.#dense[lo];
    return this.#sparse.get(hi)?.get(lo);
  }
}

/** Makes `decl` the declaration an entry's payloads are checked against. */
export function checkWith(entry: IdEntry, decl: EventDecl | undefined): void {
  entry.check = decl;
  entry.fixedPayload = decl === undefined || decl.args.some((a) => a.type.kind === 'string') ? -1 : 8 * decl.args.length;
}
