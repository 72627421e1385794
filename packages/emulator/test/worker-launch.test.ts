// A worker vCPU starts in the three ways the machine is run: under vitest (every other test), the CLI's
// `node --conditions=@unitrace/source --import tsx`, and plain node on a build (.js entry, no TypeScript at all).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DIST_WORKER_ENTRY } from '../src/vcpu/worker-launch.js';

const run = promisify(execFile);
const pkg = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('worker vCPUs outside vitest', () => {
  it('run a TypeScript guest under node --conditions=@unitrace/source --import tsx', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@unitrace/source', '--import', 'tsx', fixture('run-guest-source.ts')],
      { cwd: pkg, timeout: 60_000 },
    );
    const { outcome, results } = JSON.parse(stdout) as { outcome: unknown; results: number[] };
    expect(outcome).toEqual({ kind: 'returned', exits: 23 });
    expect(results.slice(0, 4)).toEqual([0x44, 0x11, 0x2233, 0x11223344]);
  }, 90_000);

  it('run a JavaScript guest from a build, with no TypeScript support loaded', async () => {
    const { build } = await import('tsup');
    const out = mkdtempSync(join(tmpdir(), 'unitrace-dist-'));
    try {
      // The build the package needs: the machine, plus the worker entry as its own file next to the bundle.
      await build({
        config: false,
        entry: { index: join(pkg, 'src/machine.ts'), [DIST_WORKER_ENTRY.replace(/\.js$/, '')]: join(pkg, 'src/vcpu/worker-entry.ts') },
        format: ['esm'],
        target: 'node20',
        outDir: out,
        dts: false,
        silent: true,
        noExternal: [/^@unitrace\//],
        esbuildOptions(options) {
          options.conditions = ['@unitrace/source'];
        },
      });
      const { stdout } = await run(process.execPath, [fixture('run-guest-dist.mjs'), out], { cwd: tmpdir(), timeout: 60_000 });
      const got = JSON.parse(stdout) as Record<string, unknown>;
      expect(got).toEqual({
        worker: { kind: 'halted', code: 7, exits: 1001 },
        inThread: { kind: 'halted', code: 7, exits: 11 },
        rings: 1010,
        unassigned: 0xff,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
