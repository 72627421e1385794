// A built `unitrace` for the start-up figure when tools/dist does not exist (a clean clone after npm ci): the CLI
// and every workspace package it loads, bundled with esbuild into the run's work directory. Lazy command imports
// stay separate chunks, as in tsup's build, so `--version` loads only what the shipped CLI loads.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliChoice } from './options.js';

/** Bundles tools/src/cli.ts into `dir`; returns how to run it, or the reason it could not be built. */
export async function bundleCli(repo: string, dir: string): Promise<CliChoice | string> {
  try {
    // esbuild is in the workspace through tsx and tsup (root devDependencies); the bench never ships.
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: { cli: join(repo, 'tools', 'src', 'cli.ts') },
      outdir: dir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['@unitrace/source'],
      // Bundled CommonJS dependencies (commander) call require(): give ESM output one.
      banner: { js: "import { createRequire as __bench_createRequire } from 'node:module'; const require = __bench_createRequire(import.meta.url);" },
      logLevel: 'error',
    });
    const entry = join(dir, 'unitrace.mjs');
    writeFileSync(entry, "const { main } = await import('./cli.js');\nawait main(process.argv.slice(2));\n");
    return { argv: [process.execPath, entry], label: 'built CLI (esbuild bundle of tools/src in a temp dir)' };
  } catch (err) {
    return `could not bundle the CLI: ${(err as Error).message.split('\n')[0]}`;
  }
}
