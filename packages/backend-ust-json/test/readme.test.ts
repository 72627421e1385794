// The README's first example is test/fixtures/readme-example.ts, verbatim, and it runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/env.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

describe('README', () => {
  it('starts with the example that test/fixtures/readme-example.ts runs', () => {
    const readme = readFileSync(here('../README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const fixture = readFileSync(here('./fixtures/readme-example.ts'), 'utf8').split('\n').slice(1).join('\n');
    expect(block).toBe(fixture);
    expect(block.trim().split('\n').length).toBeLessThanOrEqual(11);
  });

  it('the example writes trace.json and reads the record back', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = spawnSync(process.execPath, ['--conditions=@unitrace/source', '--import', tsx, here('./fixtures/readme-example.ts')], {
      cwd: tmp.dir,
      timeout: 60_000,
    });
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(existsSync(tmp.path('trace.json'))).toBe(true);
    expect(r.stdout.toString()).toMatch(/name: 'host:fw_cfg_select'[\s\S]*fields: \{ s: '0x55d925bd9490', key: 5, name: 'signature', ret: 1 \}/);
  }, 60_000);
});
