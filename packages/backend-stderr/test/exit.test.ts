// Exit flushing: a process that exits right after emitting still has every line in the file (core's exit hook
// calls flushSync on the sink).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES } from './support/catalog.js';
import { readBackText } from './support/read-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = fileURLToPath(new URL('./fixtures/exit-child.ts', import.meta.url));

describe.each(['sync', 'async'])('process.exit right after tracing (%s)', (mode) => {
  it('loses no line', () => {
    const file = join(dir, `${mode}.log`);
    const rounds = 200;
    const run = spawnSync(process.execPath, ['--conditions=@unitrace/source', '--import', 'tsx', child, file, mode, String(rounds)], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('');
    expect(run.status).toBe(0);
    const back = readBackText(readFileSync(file));
    expect(back.records.length).toBe(SAMPLES.length * rounds * 2);
    expect(back.dropped).toBe(0);
  }, 60_000);
});
