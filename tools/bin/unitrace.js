#!/usr/bin/env node
// Entry of the `unitrace` command: the built CLI when it exists, otherwise the TypeScript source through tsx, so
// that a workspace checkout runs `npm ci && npm start` without a build.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
const source = new URL('../src/cli.ts', import.meta.url);

let entry = built;
if (!existsSync(fileURLToPath(built)) || process.env.UNITRACE_FROM_SOURCE === '1') {
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
