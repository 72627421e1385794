// `unitrace lint` in process: the corpus is clean, faults come out GCC-style with their include chain.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS, tempDir } from '../../test/support/trace-files.js';
import { expandLintArgs, runLint, summaryLine } from './lint.js';

const tmp = tempDir('unitrace-lint-');
afterAll(() => tmp.cleanup());

function lint(args: string[], summary = false): { status: number; lines: string[] } {
  const lines: string[] = [];
  const status = runLint(args, { summary }, (l) => lines.push(l));
  return { status, lines };
}

describe('lint', () => {
  it('accepts every file of the QEMU corpus: 100 files, 5,667 events (spec §8.1)', () => {
    const { status, lines } = lint([CORPUS], true);
    expect(status).toBe(0);
    expect(lines).toHaveLength(101);
    expect(lines.at(-1)).toBe('total (100 files): 5667 events, 0 errors, 0 warnings');
    expect(lines).toContain(`${join(CORPUS, 'hw', 'net', 'trace-events')}: 446 events, 0 errors, 0 warnings`);
  });

  it('expands a directory to its trace-events files in path order and keeps files as given', () => {
    const files = expandLintArgs([join(CORPUS, 'hw', 'nvram'), join(CORPUS, 'trace-events')]);
    expect(files).toEqual([join(CORPUS, 'hw', 'nvram', 'trace-events'), join(CORPUS, 'trace-events')]);
  });

  it('prints each error GCC-style with the include chain that led to it, and fails', () => {
    const root = tmp.path('root');
    mkdirSync(join(tmp.dir, 'sub'));
    writeFileSync(root, 'a(int x) "%d"\ninclude "sub/te"\n');
    writeFileSync(join(tmp.dir, 'sub', 'te'), 'ok(void)\nbad(float f) "%f"\nworse(int x) "x %m"\n');
    const { status, lines } = lint([root], true);
    expect(status).toBe(1);
    const text = lines.join('\n').split('\n');
    const sub = join(tmp.dir, 'sub/te');
    expect(text[0]).toBe(`In file included from ${root}:2:1:`);
    expect(text[1]).toMatch(new RegExp(`^${escape(sub)}:2:\\d+: error: .*float`));
    expect(text[2]).toBe(`In file included from ${root}:2:1:`);
    expect(text[3]).toMatch(new RegExp(`^${escape(sub)}:3:\\d+: error: .*%m`));
    expect(lines.at(-2)).toBe(`${root}: 2 events, 2 errors, 0 warnings`);
  });

  it('reports a missing file as an error of that file', () => {
    const { status, lines } = lint([tmp.path('nope')]);
    expect(status).toBe(1);
    expect(lines[0]).toMatch(/nope: error: cannot read/);
  });

  it('throws when a directory holds no trace-events file', () => {
    mkdirSync(tmp.path('empty'));
    expect(() => lint([tmp.path('empty')])).toThrow(/no trace-events file found/);
  });

  it('counts in words', () => {
    expect(summaryLine({ file: 'f', events: 1, errors: 0, warnings: 1 })).toBe('f: 1 event, 0 errors, 1 warning');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
