// Runs one figure in a child process and collects its rows; a child that fails becomes a row saying why.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import { absent, type Row } from './rows.js';

const CHILD = new URL('../figure-child.ts', import.meta.url).pathname;

/** A figure that runs longer than this is stopped: the whole bench must stay under 10 minutes. */
const FIGURE_TIMEOUT_MS = 6 * 60 * 1000;

/** Runs figure `figure` with `options`; resolves to its rows (or one row naming the failure). */
export function runFigure(figure: string, options: BenchOptions): Promise<Row[]> {
  const result = join(options.workDir, `rows-${figure}.json`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@unitrace/source', '--import', 'tsx', '--expose-gc', CHILD, figure], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, BENCH_OPTIONS: JSON.stringify(options), BENCH_RESULT: result },
    });
    let tail = '';
    child.stderr.on('data', (b: Buffer) => {
      process.stderr.write(b);
      tail = (tail + b.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), FIGURE_TIMEOUT_MS);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      if (status === 0 && existsSync(result)) {
        const rows = JSON.parse(readFileSync(result, 'utf8')) as Row[];
        rmSync(result, { force: true });
        resolve(rows);
        return;
      }
      const lastError = tail.split('\n').filter((l) => /Error|error:/.test(l)).pop()?.trim() ?? tail.trim().split('\n').pop() ?? '';
      const why = signal === 'SIGKILL' ? `stopped after ${FIGURE_TIMEOUT_MS / 60000} minutes` : `exited ${status ?? signal}`;
      resolve([absent(figure, `figure ${figure}`, `the figure's process failed (${why}): ${lastError}`)]);
    });
  });
}
