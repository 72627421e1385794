// Exit paths, in child processes: process.exit(), a natural end, SIGTERM, SIGINT (core's exit hook flushes every
// sink), and SIGKILL (nothing can flush; the file must still read cleanly up to its last written record).
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, parseTraceEvents, type TraceError } from '@unitrace/core';
import { openSimpleTrace } from '../src/reader.js';
import { eventually, tempDir } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const CHILD = fileURLToPath(new URL('./fixtures/trace-child.ts', import.meta.url));
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const EVENTS = parseTraceEvents('ex_seq(uint64_t n, const char *tag) "%" PRIu64 " %s"\n', 'ex/trace-events').events;

interface Child {
  readonly output: () => string;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function run(mode: string, writer: string, file: string, count: number): Child {
  const child = spawn(process.execPath, ['--conditions=@unitrace/source', '--import', 'tsx', CHILD, mode, writer, file, String(count)], {
    cwd: PACKAGE,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { output: () => stdout, kill: (s) => child.kill(s), exited };
}

/** Reads the file: the sequence numbers in order (dropped records skip ahead by their count), and any error. */
async function sequence(file: string): Promise<{ seqs: number; drops: number; lastOffset: number; error?: TraceError }> {
  let next = 0;
  let drops = 0;
  let lastOffset = -1;
  try {
    for await (const r of (await openSimpleTrace(file, { events: EVENTS })).records()) {
      lastOffset = r.offset;
      if (r.kind === 'dropped') {
        drops += Number(r.args![0]);
        next += Number(r.args![0]);
        continue;
      }
      expect(r.args![0]).toBe(BigInt(next));
      expect(new TextDecoder().decode(r.args![1] as Uint8Array)).toBe('tag');
      next++;
    }
  } catch (err) {
    if (!isTraceError(err)) throw err;
    return { seqs: next - drops, drops, lastOffset, error: err };
  }
  return { seqs: next - drops, drops, lastOffset };
}

const TIMEOUT = 60_000;

for (const writer of ['sync', 'thread']) {
  describe(`exit paths (${writer})`, () => {
    it('process.exit() right after tracing: every record is in the file', async () => {
      const file = tmp.file(`exit-${serial++}.bin`);
      const { code, stderr } = await run('exit', writer, file, 5000).exited;
      expect(code, stderr).toBe(0);
      expect(await sequence(file)).toEqual({ seqs: 5000, drops: 0, lastOffset: expect.any(Number) });
    }, TIMEOUT);

    it('the program simply ends (timers and the writer thread are unref’d): every record is in the file', async () => {
      const file = tmp.file(`return-${serial++}.bin`);
      const { code, stderr } = await run('return', writer, file, 3000).exited;
      expect(code, stderr).toBe(0);
      expect((await sequence(file)).seqs).toBe(3000);
    }, TIMEOUT);

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`${signal} while tracing: the exit hook flushes, then the process dies of the signal`, async () => {
        const file = tmp.file(`signal-${serial++}.bin`);
        const child = run('signal', writer, file, 700); // well below minLength: nothing is written before the signal
        expect(await eventually(() => child.output().includes('ready'), TIMEOUT / 2)).toBe(true);
        expect(statSync(file).size).toBe(24);
        child.kill(signal);
        const { signal: died, stderr } = await child.exited;
        expect(died, stderr).toBe(signal);
        expect((await sequence(file)).seqs).toBe(700);
      }, TIMEOUT);
    }

    it('SIGKILL: the file reads cleanly up to the last flushed record, no error, no partial record', async () => {
      const file = tmp.file(`kill-${serial++}.bin`);
      const child = run('kill', writer, file, 2500);
      expect(await eventually(() => child.output().includes('ready'), TIMEOUT / 2)).toBe(true);
      child.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      expect(await sequence(file)).toEqual({ seqs: 2500, drops: 0, lastOffset: expect.any(Number) });
    }, TIMEOUT);
  });
}

describe('SIGKILL mid-stream (writer thread busy)', () => {
  it('every record the file holds is whole and in sequence; at most the very last one can be cut', async () => {
    const file = tmp.file(`stream-${serial++}.bin`);
    const child = run('stream', 'thread', file, 0);
    expect(await eventually(() => child.output().includes('streaming') && statSync(file).size > 1_000_000, TIMEOUT / 2)).toBe(true);
    child.kill('SIGKILL');
    await child.exited;
    const { seqs, error, lastOffset } = await sequence(file);
    expect(seqs).toBeGreaterThan(10_000);
    if (error) {
      // Linux may stop a write(2) between two pages when SIGKILL arrives: only a cut of the final record is allowed.
      expect(error.message).toMatch(/^truncated record/);
      expect(error.location!.offset!).toBeGreaterThan(lastOffset);
      expect(statSync(file).size - error.location!.offset!).toBeLessThan(24 + 8 + 16 + 3 + 8);
    }
  }, TIMEOUT);
});
