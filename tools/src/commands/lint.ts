// `unitrace lint`: every diagnostic of every catalog, GCC-style, and an optional per-file summary.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, loadCatalogUnchecked, TraceError } from '@unitrace/core';

/** What lint found in one root catalog file (its includes counted with it). */
export interface LintFileResult {
  /** The root file as given. */
  readonly file: string;
  /** Events of every source the file and its includes declare. */
  readonly events: number;
  /** Diagnostics by severity. */
  readonly errors: number;
  readonly warnings: number;
  /** Every diagnostic rendered GCC-style, include chain first. */
  readonly messages: readonly string[];
}

/** Every `trace-events` file below `dir`, in sorted path order. */
export function traceEventsFilesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return traceEventsFilesBelow(path);
      return entry.name === 'trace-events' ? [path] : [];
    });
}

/** The catalog files an argument stands for: a directory means every `trace-events` file below it. */
export function expandLintArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    let dir = false;
    try {
      dir = statSync(arg).isDirectory();
    } catch {
      // A missing file is reported by the loader as a diagnostic of that file.
    }
    return dir ? traceEventsFilesBelow(arg) : [arg];
  });
}

/** Loads one catalog (following includes) and collects its diagnostics. Never throws for a bad catalog. */
export function lintFile(file: string): LintFileResult {
  const catalog = loadCatalogUnchecked(file);
  let errors = 0;
  let warnings = 0;
  for (const d of catalog.diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return {
    file,
    events: catalog.sources.reduce((n, s) => n + s.events.length, 0),
    errors,
    warnings,
    messages: catalog.diagnostics.map(formatDiagnostic),
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The `--summary` line of one file. */
export function summaryLine(r: Pick<LintFileResult, 'file' | 'events' | 'errors' | 'warnings'>): string {
  return `${r.file}: ${plural(r.events, 'event')}, ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}`;
}

/**
 * Runs lint over `args` and writes the report with `write`. Returns the exit status: 1 when any error was found,
 * else 0. Throws TraceError('E_IO') when the arguments name no catalog file at all.
 */
export function runLint(args: readonly string[], options: { summary?: boolean }, write: (line: string) => void): number {
  const files = expandLintArgs(args);
  if (files.length === 0) throw new TraceError('E_IO', `no trace-events file found below ${args.join(', ')}`);
  const results = files.map(lintFile);
  for (const r of results) for (const m of r.messages) write(m);
  if (options.summary) {
    for (const r of results) write(summaryLine(r));
    const total = (key: 'events' | 'errors' | 'warnings'): number => results.reduce((n, r) => n + r[key], 0);
    write(summaryLine({ file: `total (${plural(results.length, 'file')})`, events: total('events'), errors: total('errors'), warnings: total('warnings') }));
  }
  return results.some((r) => r.errors > 0) ? 1 : 0;
}
