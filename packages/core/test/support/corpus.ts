// Test helper: every event of the QEMU trace-events corpus fixture, with its expanded printf template.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic, EventDecl } from '../../src/events/decl.js';
import { expandFormat } from '../../src/events/expand-format.js';
import { parseTraceEvents } from '../../src/events/parse-trace-events.js';

/** Where the corpus is copied (spec §8: 100 files from QEMU's tree). */
export const CORPUS_DIR: string = join(import.meta.dirname, '..', 'fixtures', 'qemu-trace-events');

/** One corpus event and its printf template. */
export interface CorpusEvent {
  readonly file: string;
  readonly decl: EventDecl;
  readonly template: string;
  /** The template with tracetool's PRI expansion (`%llx`), the form the spec's §8.4 figures count. */
  readonly tracetoolTemplate: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name === 'trace-events' ? [path] : [];
    });
}

/** Parses every corpus file in path order; `problems` lists parse errors and formats that did not expand. */
export function loadCorpus(): { events: CorpusEvent[]; problems: string[]; files: number } {
  const events: CorpusEvent[] = [];
  const problems: string[] = [];
  const files = walk(CORPUS_DIR);
  for (const path of files) {
    const file = relative(CORPUS_DIR, path);
    const result = parseTraceEvents(readFileSync(path, 'utf8'), file);
    result.diagnostics
      .filter((d: Diagnostic) => d.severity === 'error')
      .forEach((d) => problems.push(`${file}:${d.location.line}: ${d.message}`));
    for (const decl of result.events) {
      const expanded = expandFormat(decl.format);
      const tracetool = expandFormat(decl.format, 'tracetool');
      if (!expanded.ok) problems.push(`${file}:${decl.location.line}: ${expanded.message}`);
      else if (!tracetool.ok) problems.push(`${file}:${decl.location.line}: ${tracetool.message}`);
      else events.push({ file, decl, template: expanded.template, tracetoolTemplate: tracetool.template });
    }
  }
  return { events, problems, files: files.length };
}
