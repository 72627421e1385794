// Test-only: hand-built catalogs for the registry's tests, so they need neither files nor the catalog loader.
import type { Catalog, CatalogSource } from '../catalog/catalog.js';
import type { EventDecl } from '../events/decl.js';
import { guestBase } from '../catalog/id-ranges.js';

export { guestBase };

/** A `(void)` event declaration named `name`; `disabled` gives it the `disable` property. Test-only. */
export function decl(name: string, disabled = false): EventDecl {
  return {
    name,
    args: [],
    format: '""',
    properties: disabled ? ['disable'] : [],
    disabled,
    location: { file: 'trace-events', line: 1, column: 1 },
  };
}

/** An event with the `disable` property (QEMU: statically disabled, `unavailable`). Test-only. */
export function off(name: string): EventDecl {
  return decl(name, true);
}

/** How a test describes one source: a name, its events, and optionally a pinned base. */
export interface FixtureSource {
  readonly name: string;
  readonly events: readonly (string | EventDecl)[];
  readonly base?: bigint;
}

/**
 * A catalog whose first source is the host (base 0) and whose others are guests 0, 1, … with default or pinned
 * bases. Test-only: it does not check anything a loader would.
 */
export function catalogOf(...fixtures: FixtureSource[]): Catalog {
  const sources = fixtures.map((fixture, position): CatalogSource => {
    const guestIndex = position - 1;
    const isHost = position === 0;
    return {
      name: fixture.name,
      kind: isHost ? 'host' : 'guest',
      guestIndex,
      base: fixture.base ?? (isHost ? 0n : guestBase(guestIndex)),
      pinned: fixture.base !== undefined,
      events: fixture.events.map((e) => (typeof e === 'string' ? decl(e) : e)),
      file: `${fixture.name}/trace-events`,
      ...(isHost ? {} : { includedAt: { file: 'trace-events', line: position, column: 1 } }),
      hash: '0'.repeat(64),
    };
  });
  return { sources, diagnostics: [], files: sources.map((s) => s.file) };
}
