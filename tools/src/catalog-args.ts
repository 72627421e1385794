// Which catalog a command uses: the one named on the command line, or the built-in demo machine's.
import { statSync } from 'node:fs';
import { TraceError } from '@unitrace/core';
import { demoCatalogPath } from './demo/demo-files.js';

/**
 * The catalog a command uses when none is given: the built-in demo machine's trace-events file (the emulator's
 * events, then the demo firmware and kernel as guest sources). Throws TraceError('E_USAGE') when the demo's files
 * cannot be found; it must stay cheap (no catalog loading here).
 */
export function defaultCatalogPath(): string {
  return demoCatalogPath();
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
