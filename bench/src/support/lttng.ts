// LTTng for figures 4 and 7: finding (or installing) it, building the C program, session daemon and sessions.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LttngChoice } from './options.js';

/** Runs a command; resolves its status and output (never throws for a missing command). */
export function sh(cmd: string, args: readonly string[], input?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.error ? r.error.message : (r.stderr ?? '') };
}

function have(cmd: string): boolean {
  return sh('sh', ['-c', `command -v ${cmd}`]).ok;
}

function missingParts(): string[] {
  const missing: string[] = [];
  if (!have('gcc')) missing.push('gcc');
  if (!have('lttng') || !have('lttng-sessiond')) missing.push('lttng-tools');
  if (!sh('sh', ['-c', 'echo "#include <lttng/tracepoint.h>" | gcc -E -x c - >/dev/null 2>&1']).ok) missing.push('liblttng-ust-dev');
  if (!have('babeltrace2')) missing.push('babeltrace2');
  return missing;
}

/**
 * Finds gcc, LTTng-UST's headers, lttng-tools and babeltrace2; when some are missing and `install` is set, runs
 * bench/scripts/install-lttng.sh (apt-get, as root or through sudo). Then builds bench/c into `workDir`.
 */
export function prepareLttng(repo: string, workDir: string, install: boolean): LttngChoice {
  let missing = missingParts();
  let why: string | undefined;
  if (missing.length > 0 && install) {
    process.stderr.write(`  [lttng] missing ${missing.join(', ')}: running bench/scripts/install-lttng.sh\n`);
    const r = spawnSync('bash', [join(repo, 'bench', 'scripts', 'install-lttng.sh')], { stdio: ['ignore', 2, 2] });
    if (r.status !== 0) why = `bench/scripts/install-lttng.sh failed (exit ${r.status}): no root, sudo or Debian packages here`;
    missing = missingParts();
  }
  if (missing.length > 0) {
    why ??= `${missing.join(', ')} not installed (run bash bench/scripts/install-lttng.sh${install ? '' : '; --no-install was given'})`;
  }
  const babeltrace = have('babeltrace2') ? 'babeltrace2' : undefined;
  let program: string | undefined;
  if (!missing.includes('gcc') && !missing.includes('liblttng-ust-dev')) {
    program = join(workDir, 'lttng-bench');
    const c = join(repo, 'bench', 'c');
    const flags = sh('pkg-config', ['--cflags', '--libs', 'lttng-ust']);
    const libs = flags.ok ? flags.out.trim().split(/\s+/) : ['-llttng-ust', '-ldl'];
    const built = sh('gcc', ['-O2', '-Wall', `-I${c}`, '-o', program, join(c, 'lttng-bench.c'), join(c, 'unitrace-bench-tp.c'), ...libs]);
    if (!built.ok) {
      why = `gcc could not build bench/c: ${built.err.trim().split('\n')[0]}`;
      program = undefined;
    }
  }
  const sessions = program !== undefined && !missing.includes('lttng-tools');
  return { program, sessions, babeltrace, why };
}

/**
 * Makes sure a session daemon is listening. Returns the pid of the one it started (the caller stops it when the
 * bench ends), or undefined when one was already running (left alone) or none could be started.
 */
export function startSessiond(workDir: string): number | undefined {
  if (sh('lttng', ['--no-sessiond', 'list']).ok) return undefined;
  const pidFile = join(workDir, 'lttng-sessiond.pid');
  if (!sh('lttng-sessiond', ['--daemonize', '--no-kernel', `--pidfile=${pidFile}`]).ok) return undefined;
  for (let i = 0; i < 50 && !existsSync(pidFile); i++) sh('sleep', ['0.1']);
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : Number.NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** What the C program measured around its loop, plus what the session recorded. */
export interface LttngRun {
  readonly events: number;
  readonly processCpuNs: number;
  readonly threadCpuNs: number;
  readonly wallNs: number;
  /** Events the channel discarded (its buffers were full). */
  readonly discarded: number;
  /** Bytes of the CTF trace on disk. */
  readonly bytes: number;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  }
  return n;
}

/**
 * Records `n` events of the C program into a fresh CTF trace in `outDir` (a per-user-buffer channel of 8 × 4 MiB
 * sub-buffers, discard mode: LTTng's default loss policy) and returns its figures. Throws when a step fails.
 */
export function lttngSession(program: string, outDir: string, n: number): LttngRun {
  const name = `unitrace-bench-${process.pid}`;
  const step = (...args: string[]): string => {
    const r = sh('lttng', args);
    if (!r.ok) throw new Error(`lttng ${args.join(' ')}: ${r.err.trim() || r.out.trim()}`);
    return r.out;
  };
  sh('lttng', ['destroy', name]); // a leftover of an interrupted run
  step('create', name, `--output=${outDir}`);
  try {
    step('enable-channel', '-u', '-s', name, '--subbuf-size=4M', '--num-subbuf=8', 'unitrace');
    step('enable-event', '-u', '-s', name, '-c', 'unitrace', 'unitrace_bench:*');
    step('start', name);
    const r = sh(program, [String(n)]);
    step('stop', name);
    if (!r.ok) throw new Error(`${program}: ${r.err}`);
    const m = JSON.parse(r.out) as { events: number; processCpuNs: number; threadCpuNs: number; wallNs: number };
    const listed = step('list', name);
    const discarded = [...listed.matchAll(/Discarded events:\s*(\d+)/g)].reduce((s, x) => s + Number(x[1]), 0);
    return { ...m, discarded, bytes: dirBytes(outDir) };
  } finally {
    sh('lttng', ['destroy', name]);
  }
}
