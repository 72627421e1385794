// Running `unitrace` (and other commands) as child processes: wall time, exit status, peak RSS.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CliChoice } from './options.js';

const PEAK_RSS = new URL('./peak-rss.mjs', import.meta.url).href;

/** What a finished child did. */
export interface ChildRun {
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
  /** Peak RSS in KiB when asked for (unitrace children only). */
  readonly peakKiB?: number;
}

/** A command line and the environment it needs on top of ours. */
export interface Command {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs a command with stdout sent to `stdoutFile` (default /dev/null) and returns its wall time; throws with its
 * stderr when it fails. `peakRssFile` preloads the VmHWM reporter (node children only).
 */
export function runChild(command: Command | readonly string[], opts: { stdoutFile?: string; peakRssFile?: string; cwd?: string } = {}): ChildRun {
  const { argv, env: extra } = 'argv' in command ? command : { argv: command, env: undefined };
  const out = openSync(opts.stdoutFile ?? '/dev/null', 'w');
  try {
    const args = opts.peakRssFile === undefined ? argv.slice(1) : ['--import', PEAK_RSS, ...argv.slice(1)];
    const env = { ...process.env, ...extra, ...(opts.peakRssFile === undefined ? {} : { BENCH_PEAK_RSS_FILE: opts.peakRssFile }) };
    const t0 = performance.now();
    const r = spawnSync(argv[0], args, { stdio: ['ignore', out, 'pipe'], env, cwd: opts.cwd, maxBuffer: 16 * 1024 * 1024 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${argv.slice(0, 4).join(' ')}… exited ${r.status ?? r.signal}: ${r.error?.message ?? r.stderr.toString().trim().split('\n').slice(-3).join(' / ')}`);
    if (opts.peakRssFile === undefined) return { ms };
    const peakKiB = Number(readFileSync(opts.peakRssFile, 'utf8'));
    rmSync(opts.peakRssFile, { force: true });
    return { ms, peakKiB };
  } finally {
    closeSync(out);
  }
}

/** The command `unitrace ARGS` for a CLI choice. */
export function unitrace(cli: CliChoice, ...args: string[]): Command {
  return { argv: [...cli.argv, ...args], env: cli.env };
}

/** A path for a child's peak-RSS report inside `dir`. */
export function peakFile(dir: string, label: string): string {
  return join(dir, `peak-${label}-${process.pid}`);
}
