// Streaming: `print` and `convert` keep a flat peak RSS whatever the trace size (compare a small and a large file).
// The large size is UNITRACE_RSS_LARGE_MB (default 200; lower it on a slow machine).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, CORPUS, REPO, tempDir, writeRepeatedTrace } from './support/trace-files.js';

const SMALL_MB = 20;
const LARGE_MB = Number(process.env.UNITRACE_RSS_LARGE_MB ?? 200);
/** How much more the large run may peak at: a buffer or two, never anything that grows with the file. */
const SLACK_KB = 30 * 1024;
const RECORD_BYTES = 69;

const NVRAM = join(CORPUS, 'hw', 'nvram', 'trace-events');
const REPORTER = join(import.meta.dirname, 'support', 'report-max-rss.mjs');
const tmp = tempDir('unitrace-rss-');
afterAll(() => tmp.cleanup());

/** Runs `unitrace ARGS` and resolves to its peak RSS in KiB (as the child itself measured it when exiting). */
function peakRss(args: readonly string[]): Promise<number> {
  const report = tmp.path(`rss-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${REPORTER}`, UNITRACE_MAX_RSS_FILE: report },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`unitrace ${args.join(' ')} exited ${status}: ${stderr}`));
      else resolve(Number(readFileSync(report, 'utf8')));
    });
  });
}

describe(`peak RSS of ${SMALL_MB} MB and ${LARGE_MB} MB traces`, { timeout: 600_000 }, () => {
  const small = tmp.path('small.simpletrace');
  const large = tmp.path('large.simpletrace');

  beforeAll(() => {
    expect(LARGE_MB).toBeGreaterThanOrEqual(SMALL_MB * 5);
    writeRepeatedTrace(small, Math.floor((SMALL_MB * 1e6) / RECORD_BYTES));
    writeRepeatedTrace(large, Math.floor((LARGE_MB * 1e6) / RECORD_BYTES));
  }, 120_000);

  const commands: Record<string, string[]> = {
    print: ['print', '-o', '/dev/null', NVRAM],
    // stdout is /dev/null here (stdio 'ignore'): written like a file, from the one buffer.
    'print --style log to stdout': ['print', '--style', 'log', NVRAM],
    'convert --to chrome': ['convert', '--to', 'chrome', '-o', '/dev/null', NVRAM],
  };
  for (const [label, args] of Object.entries(commands)) {
    it(`${label} stays flat`, async () => {
      const a = await peakRss([...args, small]);
      const b = await peakRss([...args, large]);
      expect(a).toBeGreaterThan(10_000);
      expect(b - a, `peak RSS ${a} KiB for ${SMALL_MB} MB, ${b} KiB for ${LARGE_MB} MB`).toBeLessThan(SLACK_KB);
    });
  }
});
