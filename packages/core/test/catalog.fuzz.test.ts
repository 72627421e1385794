// Fuzz: the catalog parser and loader on mutated QEMU corpus lines, mutated include trees and random bytes. The
// parser never throws and accounts for every line (an event, an include, or an error with file:line:col); the loader
// throws nothing but a TraceError whose message starts with the first error's position.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnosticsOf } from '../src/catalog/diagnostics.js';
import { catalogFromText, loadCatalog } from '../src/catalog/load-catalog.js';
import { isTraceError } from '../src/errors.js';
import type { Diagnostic, ParseResult } from '../src/events/decl.js';
import { parseTraceEvents } from '../src/events/parse-trace-events.js';
import { Tally, fuzzParameters } from '../src/testing/fuzz.js';
import { CORPUS_DIR, loadCorpus } from './support/corpus.js';

const PKG = '@unitrace/core';
const CODES = new Set([
  'E_PARSE', 'E_TYPE', 'E_FORMAT', 'E_INCLUDE', 'E_DUPLICATE', 'E_ID_RANGE', 'E_ID_EXHAUSTED', 'E_IO',
  'W_IGNORED_TEXT', 'W_FORMAT_TRAILING', 'W_ARG_COUNT',
]);

// Every line of the corpus (spec §8): the raw material of the mutations, blank lines and comments included.
const CORPUS_LINES: readonly string[] = (() => {
  const { events } = loadCorpus();
  const files = [...new Set(events.map((e) => e.file))];
  return files.flatMap((f) => readFileSync(join(CORPUS_DIR, f), 'latin1').split('\n'));
})();

// Pieces of the grammar that a mutation inserts: spec §2.2's delimiters, PRI macros, properties, and our include.
const TOKENS = [
  '(', ')', '"', '\\', '\\"', '%', '%s', '%"', '" PRIx64 "', 'PRIu64', '%p', '%m', '\\n', ',', ', ', '*', '**',
  'const char *', 'void', 'disable ', 'vcpu ', 'tcg ', '#', 'include ', 'include "', ' as ', ' base 0x', '0x',
  'uint64_t', 'double', 'struct', '\t', '\r', '\n', ' ', '  ', '\x00', '\x7f', '\xff', 'Ā', '\u2028', '${x}',
];

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Applies one mutation; positions wrap around the text, so every generated value means something. */
function mutate(text: string, m: Mutation): string {
  const n = text.length;
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return String.fromCharCode(m.byte);
      const i = m.at % n;
      return text.slice(0, i) + String.fromCharCode(m.byte) + text.slice(i + 1);
    }
    case 'insert': {
      const i = m.at % (n + 1);
      return text.slice(0, i) + m.token + text.slice(i);
    }
    case 'delete': {
      const i = m.at % (n + 1);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'truncate':
      return text.slice(0, m.at % (n + 1));
    case 'swap': {
      // Swaps two tokens (words or single punctuation), keeping the separators where they were.
      const parts = text.split(/([ \t(),"*]+)/);
      const words = parts.map((p, i) => (i % 2 === 0 && p !== '' ? i : -1)).filter((i) => i >= 0);
      if (words.length < 2) return text;
      const a = words[m.a % words.length]!;
      const b = words[m.b % words.length]!;
      [parts[a], parts[b]] = [parts[b]!, parts[a]!];
      return parts.join('');
    }
  }
}

/** The checks every parse must pass; returns [lines accepted, lines rejected, lines unaccounted for]. */
function checkParse(text: string, file: string, result: ParseResult): [number, number, number] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const d of result.diagnostics) checkDiagnostic(d, file, lines);
  for (const e of result.events) {
    expect(e.location.file).toBe(file);
    expect(Number.isInteger(e.location.line) && e.location.line! >= 1 && e.location.line! <= lines.length).toBe(true);
    expect(e.name).toMatch(/^[A-Za-z0-9_]+$/);
  }
  // Every line that is neither blank nor a comment became an event, an include, or has an error: none vanishes.
  const taken = new Set<number>([...result.events.map((e) => e.location.line!), ...result.includes.map((i) => i.location.line!)]);
  // A missing final newline is an error of the file, reported at its end, not a refusal of the last line.
  const lineErrors = result.diagnostics.filter((d) => d.severity === 'error' && !/does not end with a new line/.test(d.message));
  const refused = new Set<number>(lineErrors.map((d) => d.location.line!));
  let accepted = 0;
  let rejected = 0;
  let silent = 0;
  lines.forEach((line, i) => {
    const no = i + 1;
    if (taken.has(no) && refused.has(no)) {
      throw new Error(`line ${no} was both accepted as an event and refused: ${JSON.stringify(line)}`);
    }
    if (taken.has(no)) accepted++;
    else if (refused.has(no)) rejected++;
    else if (/^[ \t\n\r\f\v]*(#|$)/.test(line)) return;
    else silent++;
  });
  return [accepted, rejected, silent];
}

/** Diagnostics whose message quotes a control character (CR, ESC, NUL) of the catalog unescaped (a finding). */
let rawControl = 0;

function checkDiagnostic(d: Diagnostic, file: string, lines: readonly string[]): void {
  const where = `${JSON.stringify(d)}`;
  expect(CODES.has(d.code), where).toBe(true);
  expect(d.severity === 'error' || d.severity === 'warning', where).toBe(true);
  expect(d.message, where).not.toContain('\n');
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(d.message)) rawControl++;
  expect(d.location.file, where).toBe(file);
  const line = d.location.line!;
  expect(Number.isInteger(line) && line >= 1 && line <= Math.max(1, lines.length), where).toBe(true);
  const column = d.location.column!;
  expect(Number.isInteger(column) && column >= 1 && column <= (lines[line - 1] ?? '').length + 1, where).toBe(true);
}

describe('parseTraceEvents under mutation and garbage', () => {
  it('mutated corpus lines: never throws, every line is an event, an include or an error with file:line:col', () => {
    const tally = new Tally(PKG, 'catalog parser: mutated corpus lines', { caseUnit: 'mutated catalog text', itemUnit: 'lines' });
    const params = fuzzParameters(300);
    tally.seed = params.seed;
    const sample = fc.array(fc.nat({ max: CORPUS_LINES.length - 1 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(sample, fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (picks, mutations, newline) => {
        let text = picks.map((i) => CORPUS_LINES[i]).join('\n') + (newline ? '\n' : '');
        for (const m of mutations) text = mutate(text, m);
        const result = parseTraceEvents(text, 'fuzz/trace-events');
        const [accepted, rejected, silent] = checkParse(text, 'fuzz/trace-events', result);
        expect(silent).toBe(0);
        tally.cases++;
        tally.accepted += accepted;
        tally.rejected += rejected;
        tally.uncounted += silent;
      }),
      params,
    );
    tally.note = controlNote();
    tally.report();
    expect(tally.rejected).toBeGreaterThan(0); // the mutations do break lines: the check above is not vacuous
    expect(tally.accepted).toBeGreaterThan(0);
  }, 60_000);

  it('random bytes: never throws, every diagnostic has file:line:col, every line is accounted for', () => {
    const tally = new Tally(PKG, 'catalog parser: random bytes', { caseUnit: 'random byte string', itemUnit: 'lines' });
    const params = fuzzParameters(300);
    tally.seed = params.seed;
    // Raw bytes (read as latin1, as the loader reads files) and text with characters above 0xFF.
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      // Grammar pieces in random order: some lines come out as events, most do not.
      fc.array(fc.constantFrom(...TOKENS, 'ev_a', 'int x', 'uint64_t v', '"%d"', '"x"', '\n'), { maxLength: 60 }).map((t) => t.join('')),
    );
    fc.assert(
      fc.property(input, (text) => {
        const result = parseTraceEvents(text, 'random');
        const [accepted, rejected, silent] = checkParse(text, 'random', result);
        expect(silent).toBe(0);
        tally.cases++;
        tally.accepted += accepted;
        tally.rejected += rejected;
        tally.uncounted += silent;
      }),
      params,
    );
    tally.note = controlNote();
    tally.report();
    expect(tally.rejected).toBeGreaterThan(0);
  }, 60_000);
});

function controlNote(): string {
  const note = `${rawControl} diagnostic messages quote a raw control character`;
  rawControl = 0;
  return note;
}

// A catalog tree on a virtual file system: the golden catalog (host, plain include, two guests, a pinned base).
const GOLDEN = resolve(import.meta.dirname, 'golden', 'catalog');
const TREE: Readonly<Record<string, string>> = Object.fromEntries(
  ['trace-events', 'board/trace-events', 'firmware/trace-events', 'kernel/trace-events'].map((f) => [
    resolve(GOLDEN, f),
    readFileSync(join(GOLDEN, f), 'latin1'),
  ]),
);
const ROOT = resolve(GOLDEN, 'trace-events');

describe('loadCatalog under mutation', () => {
  it('unmutated, the tree loads: the mutations below start from a valid catalog', () => {
    const catalog = loadCatalog(ROOT, { readFile: (p) => TREE[p] ?? fail(p) });
    expect(catalog.sources.map((s) => s.name)).toEqual(['host', 'firmware', 'kernel']);
  }, 60_000);

  it('mutated files (includes, names, bases included) throw only TraceError, positioned at the first error', () => {
    const tally = new Tally(PKG, 'catalog loader: mutated include trees', { caseUnit: 'mutated catalog tree', itemUnit: 'catalogs' });
    const params = fuzzParameters(250);
    tally.seed = params.seed;
    const files = Object.keys(TREE);
    const edit = fc.record({ file: fc.nat({ max: files.length - 1 }), mutation });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), fc.boolean(), (edits, fromText) => {
        const tree: Record<string, string> = { ...TREE };
        for (const e of edits) tree[files[e.file]!] = mutate(tree[files[e.file]!]!, e.mutation);
        const readFile = (p: string): string => tree[p] ?? fail(p);
        tally.cases++;
        try {
          const catalog = fromText ? catalogFromText(tree[ROOT]!, ROOT, { readFile }) : loadCatalog(ROOT, { readFile });
          expect(catalog.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          tally.accepted++;
        } catch (err) {
          if (!isTraceError(err)) throw err;
          tally.rejected++;
          const diagnostics = diagnosticsOf(err) ?? [];
          const errors = diagnostics.filter((d) => d.severity === 'error');
          expect(errors.length).toBeGreaterThan(0);
          const first = errors[0]!.location;
          // The message is `file:line:col: …` (or `file: …` for a file that cannot be read) of the first error.
          const prefix = first.line === undefined ? `${first.file}: ` : `${first.file}:${first.line}:${first.column}: `;
          expect(err.message.startsWith(prefix), err.message).toBe(true);
          for (const d of errors) {
            expect(typeof d.location.file).toBe('string');
            // Only an unreadable file and an id range of the whole host source lack a line.
            if (d.location.line === undefined) expect(['E_IO', 'E_INCLUDE', 'E_ID_RANGE', 'E_ID_EXHAUSTED']).toContain(d.code);
            else expect(d.location.line).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      params,
    );
    tally.report();
    expect(tally.rejected).toBeGreaterThan(0);
    expect(tally.accepted).toBeGreaterThan(0);
  }, 60_000);
});

function fail(path: string): never {
  throw new Error(`ENOENT: no such file, open '${path}'`);
}
