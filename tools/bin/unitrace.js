#!/usr/bin/env node
// Entry of the `unitrace` command. An installed package runs its built CLI (dist). A workspace checkout, where the
// TypeScript source sits next to this file, runs the source through tsx, so `npm ci && npm start` needs no build and
// a stale dist is never run by mistake; UNITRACE_USE_DIST=1 runs the build instead (benchmarks of start-up).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
const source = new URL('../src/cli.ts', import.meta.url);

const fromSource = existsSync(fileURLToPath(source)) && process.env.UNITRACE_USE_DIST !== '1';
let entry = built;
if (fromSource || !existsSync(fileURLToPath(built))) {
  if (!existsSync(fileURLToPath(source))) {
    process.stderr.write('unitrace: dist/cli.js is missing; reinstall @unitrace/tools\n');
    process.exit(1);
  }
  // Workspace packages point the `@unitrace/source` export condition at their TypeScript source.
  const addCondition =
    "export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, '@unitrace/source'] }); }";
  register(`data:text/javascript,${encodeURIComponent(addCondition)}`);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  entry = source;
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
