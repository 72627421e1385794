// Which catalog a command uses: the one named on the command line, or the built-in demo machine's.
import { statSync } from 'node:fs';
import { TraceError } from '@unitrace/core';

/**
 * The catalog a command uses when none is given: the built-in demo machine's trace-events file. Throws
 * TraceError('E_USAGE') until the demo machine exists; it must stay cheap (no catalog loading here).
 */
export function defaultCatalogPath(): string {
  throw new TraceError('E_USAGE', 'no CATALOG given and this unitrace has no built-in demo machine catalog: pass a trace-events file');
}

/** True when `path` names an existing file or directory. */
export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits `[CATALOG] FILE` by count: one argument is FILE (the catalog is the default one), two are CATALOG and
 * FILE. `what` names FILE in the usage error for any other count.
 */
export function catalogAndFile(args: readonly string[], what: string): { catalog: string; file: string } {
  if (args.length === 1) return { catalog: defaultCatalogPath(), file: args[0] };
  if (args.length === 2) return { catalog: args[0], file: args[1] };
  throw new TraceError('E_USAGE', `expected [CATALOG] ${what}, got ${args.length} arguments`);
}
