// The `unitrace` command as a user runs it: a child process per case; exit codes, one-line errors, help texts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliAsync, CORPUS, REPO, tempDir, writeRepeatedTrace } from './support/trace-files.js';

const tmp = tempDir('unitrace-cli-');
afterAll(() => tmp.cleanup());

const NVRAM = join(CORPUS, 'hw', 'nvram', 'trace-events');
const VECTOR = join(import.meta.dirname, 'fixtures', 'spec-5.4.simpletrace');
const GOLDEN = join(REPO, 'packages', 'core', 'test', 'golden');
const GOLDEN_CATALOG = join(GOLDEN, 'catalog', 'trace-events');
const SUBCOMMANDS = ['lint', 'events', 'gen', 'print', 'convert'];

/** A user error: exit status, and exactly one stderr line starting with `unitrace: `, never a stack trace. */
function expectOneLineError(r: { status: number | null; stderr: string }, status: number, pattern: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.stderr).toMatch(/^unitrace: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe.concurrent('unitrace', { timeout: 120_000 }, () => {
  it('--version prints the version', async () => {
    const r = await cliAsync(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toBe('0.1.0\n');
  });

  it('--version loads no workspace package: commands are imported when they run', async () => {
    const { spawnSync } = await import('node:child_process');
    const log = tmp.path('modules.log');
    const env = { ...process.env, NODE_OPTIONS: `--import ${join(import.meta.dirname, 'support', 'log-modules.mjs')}`, UNITRACE_MODULE_LOG: log };
    const r = spawnSync(process.execPath, [join(REPO, 'tools', 'bin', 'unitrace.js'), '--version'], { env });
    expect(r.status).toBe(0);
    const loaded = readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/packages/'));
    expect(loaded).toEqual([]);
    // The check can fail: a command that runs does load core.
    spawnSync(process.execPath, [join(REPO, 'tools', 'bin', 'unitrace.js'), 'events', GOLDEN_CATALOG], { env });
    expect(readFileSync(log, 'utf8')).toContain('/packages/core/src/index.ts');
  });

  it('--help lists every subcommand', async () => {
    const r = await cliAsync(['--help']);
    expect(r.status).toBe(0);
    for (const c of SUBCOMMANDS) expect(r.stdout.toString()).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  for (const c of SUBCOMMANDS) {
    it(`${c} --help shows its usage, options and an example`, async () => {
      const r = await cliAsync([c, '--help']);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      const text = r.stdout.toString();
      expect(text).toMatch(new RegExp(`^Usage: unitrace ${c} `));
      expect(text).toContain('-h, --help');
      expect(text).toContain(`Example:\n  unitrace ${c} `);
    });
  }

  it('an unknown command or option is a usage error: exit 2, one line', async () => {
    expectOneLineError(await cliAsync(['frobnicate']), 2, /unknown command 'frobnicate'/);
    expectOneLineError(await cliAsync(['print', '--bogus', 'x']), 2, /unknown option '--bogus'/);
  });
});

describe.concurrent('unitrace lint', { timeout: 120_000 }, () => {
  it('accepts the whole QEMU corpus and prints the summary', async () => {
    const r = await cliAsync(['lint', '--summary', CORPUS]);
    expect(r.status).toBe(0);
    expect(r.stdout.toString().trimEnd().split('\n').at(-1)).toBe('total (100 files): 5667 events, 0 errors, 0 warnings');
  });

  it('prints diagnostics and exits 1 for a bad catalog', async () => {
    const bad = tmp.path('bad-events');
    writeFileSync(bad, 'good(int x) "%d"\nbad(double d) "%f"\n');
    const r = await cliAsync(['lint', bad]);
    expect(r.status).toBe(1);
    expect(r.stdout.toString()).toMatch(new RegExp(`^${bad}:2:\\d+: error: [^\\n]*double[^\\n]*\\n$`));
  });

  it('needs a catalog: exit 2', async () => {
    expectOneLineError(await cliAsync(['lint']), 2, /missing required argument 'catalog'/);
  });
});

describe.concurrent('unitrace events', { timeout: 120_000 }, () => {
  it('lists host ids from 0 and guest ids from 0x8000000000000000', async () => {
    const r = await cliAsync(['events', GOLDEN_CATALOG]);
    expect(r.status).toBe(0);
    const lines = r.stdout.toString('latin1').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^host +0 +disabled +fw_cfg_select +"%p key %d signature %s ret %d"$/);
    expect(lines.find((l) => l.includes(' fw_boot '))).toMatch(/^firmware +0x8000000000000000 +disabled +fw_boot /);
    expect(lines.find((l) => l.includes(' kernel_syscall '))).toMatch(/^kernel +0x9000000000000000 /);
  });

  it('prints --trace warnings on stderr and still lists', async () => {
    const r = await cliAsync(['events', '--trace', 'nosuch', '--trace', 'fw_cfg_*', GOLDEN_CATALOG, 'fw_cfg_*']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("unitrace: warning: trace event 'nosuch' does not exist\n");
    expect(r.stdout.toString().trimEnd().split('\n').map((l) => l.split(/ +/)[2])).toEqual(['enabled', 'enabled']);
  });

  it('stops quietly, exit 0, when the reader of a pipe goes away', async () => {
    const big = tmp.path('big-events');
    writeFileSync(big, Array.from({ length: 20_000 }, (_, i) => `event_number_${i}(int x, const char *s) "x %d s %s"\n`).join(''));
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', ['-c', `node tools/bin/unitrace.js events '${big}' | head -n 1; echo "\${PIPESTATUS[0]}"`], { cwd: REPO });
    expect(r.stdout.toString()).toMatch(/^host +0 +disabled +event_number_0 +"x %d s %s"\n0\n$/);
    expect(r.stderr.toString()).toBe('');
  });

  it('without a catalog, lists the demo machine: host events from id 0, then the firmware and kernel ranges', async () => {
    const r = await cliAsync(['events']);
    expect(r.status).toBe(0);
    const lines = r.stdout.toString().split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^host +0 +/);
    expect(lines.find((l) => l.startsWith('firmware'))).toMatch(/^firmware +0x8000000000000000 +/);
    expect(lines.find((l) => l.startsWith('kernel'))).toMatch(/^kernel +0x8000000100000000 +/);
  });

  it('a catalog with errors is one line naming the first: exit 1', async () => {
    const bad = tmp.path('bad-events-2');
    writeFileSync(bad, 'x(int a) "%d"\nx(int b) "%d"\n');
    expectOneLineError(await cliAsync(['events', bad]), 1, new RegExp(`${bad}:2:1: .*'x'`));
  });
});

describe.concurrent('unitrace gen', { timeout: 120_000 }, () => {
  it('events-all writes the bytes of the reviewed golden file', async () => {
    const r = await cliAsync(['gen', '--target', 'events-all', GOLDEN_CATALOG]);
    expect(r.status).toBe(0);
    expect(r.stdout.equals(readFileSync(join(GOLDEN, 'events-all', 'trace-events-all.golden')))).toBe(true);
  });

  it('ids-json and host-ts write the golden files, to stdout or -o', async () => {
    const out = tmp.path('ids.json');
    const r = await cliAsync(['gen', '--target', 'ids-json', '-o', out, GOLDEN_CATALOG], { cwd: join(REPO, 'packages', 'core') });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0);
    // The golden file was generated with origin test/golden/catalog/trace-events.
    const golden = readFileSync(join(GOLDEN, 'ids-json', 'ids.json.golden'), 'utf8').replace('test/golden/catalog/trace-events', GOLDEN_CATALOG);
    expect(readFileSync(out, 'utf8')).toBe(golden);
    const ts = await cliAsync(['gen', '--target', 'host-ts', 'test/golden/catalog/trace-events'], { cwd: join(REPO, 'packages', 'core') });
    expect(ts.stdout.toString('utf8')).toBe(readFileSync(join(GOLDEN, 'host-ts', 'trace.ts.golden'), 'utf8'));
  });

  it('an unknown or missing --target is a usage error: exit 2', async () => {
    expectOneLineError(await cliAsync(['gen', '--target', 'cobol', GOLDEN_CATALOG]), 2, /'cobol' is invalid.*host-ts/);
    expectOneLineError(await cliAsync(['gen', GOLDEN_CATALOG]), 2, /required option '--target <target>'/);
  });

  it('a wrong --source or an unwritable output is one line', async () => {
    expectOneLineError(await cliAsync(['gen', '--target', 'host-ts', '--source', 'firmware', GOLDEN_CATALOG]), 2, /host source 'host', not 'firmware'/);
    expectOneLineError(await cliAsync(['gen', '--target', 'ids-json', '-o', tmp.path('no/such/dir/x.json'), GOLDEN_CATALOG]), 1, /cannot write .*ENOENT/);
  });
});

describe.concurrent('unitrace print', { timeout: 120_000 }, () => {
  it('writes to -o as to stdout', async () => {
    const out = tmp.path('printed.txt');
    const r = await cliAsync(['print', '-o', out, NVRAM, VECTOR]);
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'latin1').split('\n')).toHaveLength(4);
  });

  it('stops quietly, exit 0, when the reader of a pipe goes away', async () => {
    const big = tmp.path('big.simpletrace');
    writeRepeatedTrace(big, 300_000);
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', ['-c', `node tools/bin/unitrace.js print '${NVRAM}' '${big}' | head -c 10; echo " \${PIPESTATUS[0]}"`], { cwd: REPO });
    expect(r.stdout.toString()).toBe('fw_cfg_sel 0\n');
    expect(r.stderr.toString()).toBe('');
  });

  it('usage errors exit 2: no file, too many, an unknown style', async () => {
    expectOneLineError(await cliAsync(['print']), 2, /expected \[CATALOG\] TRACEFILE, got 0 arguments/);
    // One argument is the trace file, read with the demo machine's catalog: NVRAM is not a trace file.
    expectOneLineError(await cliAsync(['print', NVRAM]), 1, /trace-events: byte 0: Not a valid trace file, header id/);
    expectOneLineError(await cliAsync(['print', 'a', 'b', 'c']), 2, /too many arguments/);
    expectOneLineError(await cliAsync(['print', '--style', 'fancy', NVRAM, VECTOR]), 2, /'fancy' is invalid/);
  });

  it('a missing trace file is one line: exit 1', async () => {
    expectOneLineError(await cliAsync(['print', NVRAM, tmp.path('missing.bin')]), 1, /cannot open trace file .*missing\.bin/);
  });
});

describe.concurrent('unitrace convert', { timeout: 120_000 }, () => {
  it('converts to chrome on stdout', async () => {
    const r = await cliAsync(['convert', '--to', 'chrome', NVRAM, VECTOR]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout.toString()) as { traceEvents: { name: string; ph: string }[] };
    expect(doc.traceEvents.filter((e) => e.ph === 'i').map((e) => e.name)).toEqual(['fw_cfg_select', 'fw_cfg_read', 'dropped']);
  });

  it('needs --to, from the list: exit 2', async () => {
    expectOneLineError(await cliAsync(['convert', NVRAM, VECTOR]), 2, /required option '--to <format>'/);
    expectOneLineError(await cliAsync(['convert', '--to', 'xml', NVRAM, VECTOR]), 2, /'xml' is invalid/);
  });

  it('a corrupt header is one line: exit 1, and no progress bar when stderr is not a terminal', async () => {
    expectOneLineError(await cliAsync(['convert', '--to', 'ust-json', NVRAM, NVRAM]), 1, /byte 0: Not a valid trace file/);
  });
});
