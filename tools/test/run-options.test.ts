// `unitrace run` options as a user types them: --trace with QEMU's semantics, --backend loading and its one-line
// errors, exit statuses, both boards and both vCPU modes. One child process per case.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, loadCatalog } from '@unitrace/core';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCatalogPath } from '../src/demo/demo-files.js';
import { cliAsync, type CliResult, tempDir } from './support/trace-files.js';

const tmp = tempDir('unitrace-run-options-');
afterAll(() => tmp.cleanup());
const FIXTURES = join(import.meta.dirname, 'fixtures', 'run');
let dirs = 0;

/** Runs `unitrace run ARGS` in a fresh directory. */
async function run(args: readonly string[]): Promise<CliResult & { dir: string }> {
  const dir = tmp.path(`case-${dirs++}`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  return { ...(await cliAsync(['run', ...args], { cwd: dir })), dir };
}

/** Event names of the trace lines on stderr (plain `stderr` backend lines: `name args`). */
function names(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^[a-z][a-z0-9_]* /.test(l)).map((l) => l.slice(0, l.indexOf(' ')));
}

/** A user error: the status, exactly one stderr line starting with `unitrace: `, no stack trace. */
function expectOneLineError(r: CliResult, status: number, pattern: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.stderr).toMatch(/^unitrace: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
}

describe.concurrent('unitrace run options', { timeout: 120_000 }, () => {
  it('--trace help lists every event of the demo catalog on stdout and exits 0 without starting a machine', async () => {
    const r = await run(['--trace', 'help']);
    expect(r.status).toBe(0);
    const registry = createRegistry(loadCatalog(demoCatalogPath()));
    const expected = Array.from({ length: registry.size }, (_, i) => registry.event(i).decl.name);
    expect(r.stdout.toString()).toBe(`${expected.join('\n')}\n`);
    expect(expected).toContain('kernel_task_switch');
    expect(readdirSync(r.dir)).toEqual([]);
    expect(r.stderr).toBe('');
  });

  it('applies --trace values in order: a pattern, then a negation; the events file; warnings are not errors', async () => {
    const events = tmp.path('events');
    writeFileSync(events, '# kernel only\nkernel_*\n-kernel_task_work\nno_such_event\n');
    const r = await run(['--backend', 'stderr', '--trace', 'events=' + events, '--trace', '-kernel_timer', '--trace', 'fw_jump']);
    expect(r.status).toBe(0);
    const seen = new Set(names(r.stderr));
    expect([...seen].sort()).toEqual(['fw_jump', 'kernel_halt', 'kernel_start', 'kernel_task_switch']);
    expect(r.stderr).toContain(`${events}:4: warning: trace event 'no_such_event' does not exist`);
  });

  it('--trace file= names the simple trace file; a later --trace without file= resets it, as QEMU does', async () => {
    const named = await run(['--trace', 'kernel_halt,file=halt.trace']);
    expect(named.status).toBe(0);
    expect(readdirSync(named.dir)).toEqual(['halt.trace']);
    expect(named.stderr).toContain('unitrace: wrote halt.trace (simple); read it with: unitrace print halt.trace\n');
    const reset = await run(['--trace', 'kernel_halt,file=halt.trace', '--trace', 'kernel_start']);
    expect(readdirSync(reset.dir)).toEqual([expect.stringMatching(/^trace-\d+$/)]);
  });

  it('a comma inside a --trace value is written ,, (QemuOpts)', async () => {
    const r = await run(['--trace', 'kernel_halt,file=a,,b.trace']);
    expect(r.status).toBe(0);
    expect(readdirSync(r.dir)).toEqual(['a,b.trace']);
  });

  it('--trace file= without a backend that takes it is a usage error', async () => {
    expectOneLineError(await run(['--backend', 'ust-json:file=x.json', '--trace', 'kernel_*,file=t']), 2, /--trace file=t: option not supported by the selected tracing backends/);
  });

  it('an unknown --backend is a one-line error, status 1, before any machine starts', async () => {
    const r = await run(['--backend', 'nosuch']);
    expectOneLineError(r, 1, /^unitrace: cannot load backend "nosuch" \(nosuch\): /);
    expect(readdirSync(r.dir)).toEqual([]);
  });

  it('a module that is not a backend is refused at load time', async () => {
    const r = await run(['--backend', join(FIXTURES, 'bad-backend.mjs')]);
    expectOneLineError(r, 1, /is not a Unitrace backend: its default export has no create\(\) function/);
  });

  it('bad backend options and a malformed --backend are one-line errors', async () => {
    expectOneLineError(await run(['--backend', 'stderr:colour=never']), 1, /backend stderr|colour/);
    expectOneLineError(await run(['--backend', ':x']), 2, /backend ":x" has no name/);
  });

  it('several backends: ust-json to a file next to stderr lines', async () => {
    const r = await run(['--backend', 'stderr', '--backend', 'ust-json:file=k.json', '--trace', 'kernel_halt']);
    expect(r.status).toBe(0);
    expect(names(r.stderr)).toEqual(['kernel_halt']);
    expect(existsSync(join(r.dir, 'k.json'))).toBe(true);
    expect(r.stderr).toContain('unitrace: wrote k.json (ust-json)\n');
  });

  it('exits with the guest halt code, and 1 for a guest error', async () => {
    const seven = await run(['--firmware', join(FIXTURES, 'halt-code.ts'), '--trace', 'vcpu_*', '--backend', 'stderr']);
    expect(seven.status).toBe(7);
    expect(seven.stderr).toContain('vcpu_halt vcpu 0 code 7 exits 0\n');
    const threw = await run(['--firmware', join(FIXTURES, 'throws.ts'), '--backend', 'stderr', '--trace', 'nothing']);
    expect(threw.status).toBe(1);
    expect(threw.stderr).toMatch(/^unitrace: guest error: Error: firmware bug: no boot device table \(after 0 exits/m);
  });

  it('usage errors exit 2: an unknown board, a bad --monitor, a bad --qmp address', async () => {
    expect((await run(['--board', 'arm'])).status).toBe(2);
    expectOneLineError(await run(['--monitor', 'tcp:1']), 2, /only 'stdio' is supported/);
    expectOneLineError(await run(['--qmp', 'nowhere']), 2, /bad monitor address 'nowhere'/);
  });

  it.each([
    ['virt', 'worker', 1],
    ['pc', 'in-thread', 0],
  ])('boots the demo on the %s board with a %s vCPU', async (board, mode, hypercallMode) => {
    const r = await run(['--board', board, '--mode', mode, '--backend', 'stderr', '--trace', 'kernel_start', '--trace', 'fw_power_on', '--append', 'ticks=2']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`fw_power_on board ${board}, guest clock 1000000000 Hz\n`);
    expect(r.stderr).toContain(`kernel_start command line 7 bytes: 3 tasks, 2 ticks, board ${hypercallMode}\n`);
  });
});
