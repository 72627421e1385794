// Plain-data shape of a loaded catalog: the host source and every guest source it includes.
import type { SourceLocation } from '../errors.js';
import type { Diagnostic, EventDecl } from '../events/decl.js';

/** Whether a source's events come from the emulator itself or from code running inside a guest. */
export type SourceKind = 'host' | 'guest';

/**
 * One source of events: the host (the root file plus its plain includes) or a guest included with `as NAME`.
 * Local id i of a source is `events[i]`.
 */
export interface CatalogSource {
  /** Provider name: the host's name (default `host`) or the guest name given with `as`. */
  readonly name: string;
  readonly kind: SourceKind;
  /** Guest index k in include order (0 for the first guest); -1 for the host. */
  readonly guestIndex: number;
  /** The wire id of local event 0. Host: 0. Guest k: 0x8000000000000000 + k * 2^32, unless pinned. */
  readonly base: bigint;
  /** True when the include line pinned `base`. */
  readonly pinned: boolean;
  /** The events of this source in id order (file order, plain includes inlined where they stand). */
  readonly events: readonly EventDecl[];
  /** The file this source starts from (absolute path or the name given to the loader). */
  readonly file: string;
  /** Where the `include … as NAME` line is; undefined for the host. */
  readonly includedAt?: SourceLocation;
  /** Lower-case hex SHA-256 of the source's canonical form: what a guest handshake compares. */
  readonly hash: string;
}

/** A whole catalog: sources in id order (host first, then guests in include order) and every diagnostic. */
export interface Catalog {
  readonly sources: readonly CatalogSource[];
  /** Warnings (and, from `loadCatalogUnchecked`, errors) of every file read. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every file read, in the order read. */
  readonly files: readonly string[];
}
