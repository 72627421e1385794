// Regenerates the bench's generated tracepoints: bench/src/generated/trace.ts (host, core's host-ts generator) and
// bench/src/guest/generated/{fw,k}-trace.ts (the guest sources of figures 5 and 6, `unitrace gen --target firmware-ts`).
// Run: node --conditions=@unitrace/source --import tsx bench/scripts/gen-trace.ts [--check]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '@unitrace/core';
import { generateHostTs } from '@unitrace/core/codegen';

const at = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const REPO = at('../../');
const check = process.argv.includes('--check');

/** Generates a guest source's firmware-ts module with the unitrace command (paths relative to the repository). */
function firmwareTs(catalog: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
  try {
    const out = join(dir, 'trace.ts');
    const r = spawnSync(process.execPath, [join(REPO, 'tools/bin/unitrace.js'), 'gen', '--target', 'firmware-ts', '--source', source, '-o', out, catalog], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`unitrace gen --target firmware-ts --source ${source}: ${r.stderr.trim()}`);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = new Map<string, () => string>([
  [at('../src/generated/trace.ts'), () => generateHostTs(loadCatalog(at('../src/trace-events')).sources[0], { origin: 'bench/src/trace-events' })],
  [at('../src/guest/generated/fw-trace.ts'), () => firmwareTs('bench/src/guest/machine-events', 'benchfw')],
  [at('../src/guest/generated/k-trace.ts'), () => firmwareTs('bench/src/guest/machine-events', 'benchk')],
]);

for (const [path, make] of files) {
  const text = make();
  if (!check) writeFileSync(path, text);
  else {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== text) {
      process.stderr.write(`out of date: ${path} (run bench/scripts/gen-trace.ts)\n`);
      process.exitCode = 1;
    }
  }
}
