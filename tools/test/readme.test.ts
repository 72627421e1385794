// Every console example of README.md, run for real in a copy of the demo fixture: the output must be what is shown.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO } from './support/trace-files.js';

const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const DEMO = join(import.meta.dirname, 'fixtures', 'demo');

/** The fenced blocks of a language, in order. */
function blocks(lang: string): string[] {
  return [...README.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]);
}

/** A console block's `$ command` lines, each with the output printed below it. */
function examples(block: string): { command: string; output: string }[] {
  const out: { command: string; output: string }[] = [];
  for (const line of block.split('\n').slice(0, -1)) {
    if (line.startsWith('$ ')) out.push({ command: line.slice(2), output: '' });
    else out.at(-1)!.output += `${line}\n`;
  }
  return out;
}

// A scratch copy of the demo, where the README's TypeScript example is saved as count-events.ts and packages
// resolve from the workspace.
const dir = mkdtempSync(join(tmpdir(), 'unitrace-readme-'));
cpSync(DEMO, dir, { recursive: true });
symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRELUDE = `unitrace() { node '${BIN}' "$@"; }\ntsx() { node --conditions=@unitrace/source --import tsx "$@"; }\n`;

describe('README.md', { timeout: 120_000 }, () => {
  it('has one TypeScript example, the analyzer, and saves it for the console examples', () => {
    const ts = blocks('ts');
    expect(ts).toHaveLength(1);
    expect(ts[0]).toContain('extends Analyzer');
    writeFileSync(join(dir, 'count-events.ts'), ts[0]);
  });

  const all = blocks('console').flatMap(examples);
  it('shows examples of every subcommand and of the analyzer', () => {
    for (const word of ['lint', 'events', 'gen', 'print', 'convert']) expect(all.some((e) => e.command.startsWith(`unitrace ${word} `))).toBe(true);
    expect(all.some((e) => e.command.startsWith('tsx count-events.ts'))).toBe(true);
  });

  for (const { command, output } of all) {
    it(`$ ${command}`, () => {
      // Both streams, in the order they were written, as a terminal would show them.
      const got = execFileSync('bash', ['-c', `${PRELUDE}{ ${command}\n} 2>&1`], { cwd: dir, encoding: 'latin1' });
      expect(got).toBe(Buffer.from(output, 'utf8').toString('latin1'));
    });
  }
});
