// `unitrace events`: every event of a catalog with its source, wire id, state, name and format.
import { createRegistry, describeId, loadCatalog, type Registry } from '@unitrace/core';
import { defaultCatalogPath, pathExists } from '../catalog-args.js';
import { alignColumns } from '../text/columns.js';
import { applyTraceOptions } from './trace-option.js';

/** Options of `unitrace events`. */
export interface EventsOptions {
  /** `--trace` values, applied in order before listing. */
  readonly trace?: readonly string[];
}

/**
 * Which of `[CATALOG] [PATTERN]` the positional arguments are: two are both; one is the catalog when it names an
 * existing path, otherwise a pattern over the default catalog.
 */
export function eventsArgs(args: readonly (string | undefined)[]): { catalog: string; pattern: string | undefined } {
  const given = args.filter((a): a is string => a !== undefined);
  if (given.length >= 2) return { catalog: given[0], pattern: given[1] };
  if (given.length === 1 && pathExists(given[0])) return { catalog: given[0], pattern: undefined };
  return { catalog: defaultCatalogPath(), pattern: given[0] };
}

/** The listing lines of `registry`'s events matching `pattern` (all without one), in id order. */
export function eventLines(registry: Registry, pattern: string | undefined): string[] {
  const refs = registry.match(pattern ?? '*');
  return alignColumns(
    refs.map((ref) => [ref.source.name, describeId(ref.id), registry.getState(ref.index), ref.decl.name, ref.decl.format]),
  );
}

/**
 * Runs `unitrace events`: loads the catalog (throwing its first error), applies the `--trace` options with QEMU's
 * semantics (warnings go to `warn`), and writes one aligned line per event with `write`. Returns the exit status.
 */
export function runEvents(
  args: readonly (string | undefined)[],
  options: EventsOptions,
  write: (line: string) => void,
  warn: (line: string) => void,
): number {
  const { catalog, pattern } = eventsArgs(args);
  const registry = createRegistry(loadCatalog(catalog));
  applyTraceOptions(registry, options.trace ?? [], warn);
  for (const line of eventLines(registry, pattern)) write(line);
  return 0;
}
