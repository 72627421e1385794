// The firmware SDK README's example, run for real: its files are written to a scratch directory, its console lines
// run there (the unitrace command and tsx from this workspace), and the output must be what the README shows.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(REPO, 'packages', 'firmware-sdk', 'README.md'), 'utf8');
const BIN = join(REPO, 'tools', 'bin', 'unitrace.js');

/** The fenced blocks of the README, with their language. */
const blocks = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));

describe('firmware-sdk README', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-sdk-readme-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with the example: a catalog, a guest program and its host, each naming its file', () => {
    const files = blocks.filter((b) => b.lang !== 'console').slice(0, 3);
    const names = files.map((b) => /^(?:#|\/\/) (\S+):/.exec(b.text)?.[1]);
    expect(names).toEqual(['hello/trace-events', 'hello/guest.ts', 'hello/run.ts']);
    files.forEach((b, i) => {
      mkdirSync(dirname(join(dir, names[i]!)), { recursive: true });
      writeFileSync(join(dir, names[i]!), b.text);
    });
  });

  it('prints what it shows', () => {
    const block = blocks.find((b) => b.lang === 'console')!.text;
    const prelude = `unitrace() { node '${BIN}' "$@"; }\ntsx() { node --conditions=@unitrace/source --import tsx "$@"; }\n`;
    let shown = '';
    let commands = '';
    for (const line of block.split('\n').slice(0, -1)) {
      if (line.startsWith('$ ')) commands += `${line.slice(2)}\n`;
      else shown += `${line}\n`;
    }
    const got = execFileSync('bash', ['-c', `set -e\n${prelude}{ ${commands}} 2>&1`], { cwd: dir, encoding: 'utf8' });
    expect(got).toBe(shown);
  });
});
