// Faults: `unitrace run` stopped by SIGINT, SIGTERM or SIGKILL in the middle of a trace. A firmware takes one exit per
// record forever (host record io_unassigned_write, value = sequence number mod 256). SIGINT and SIGTERM: the run
// ends with 128 + N after flushing every sink, and the file holds every record the summary counts, one per exit.
// SIGKILL: nothing can flush, and the file still reads cleanly up to its last write, in sequence, no hole.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, type TraceError } from '@unitrace/core';
import { Tally } from '@unitrace/core/testing';
import { openSimpleTrace } from '@unitrace/backend-simple/reader';
import { BIN, REPO, tempDir } from './support/trace-files.js';

const PKG = '@unitrace/tools';
const tmp = tempDir('unitrace-run-signal-');
afterAll(() => tmp.cleanup());
const FIRMWARE = fileURLToPath(new URL('./fixtures/spin-fault-guest.ts', import.meta.url));
const TIMEOUT = 90_000;
// A record on disk: type word, 24-byte header, three 8-byte arguments.
const RECORD_BYTES = 56;

interface Run {
  readonly file: string;
  /** What the run printed on stderr so far. */
  readonly stderr: () => string;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(name: string): Run {
  const file = tmp.path(`${name}.bin`);
  const child = spawn(process.execPath, [BIN, 'run', '--firmware', FIRMWARE, '--trace', 'io_unassigned_write', '--backend', `simple:${file}`], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { file, stderr: () => stderr, kill: (s) => child.kill(s), exited };
}

/** Waits until the trace file has grown past `bytes`: several writes have reached it, the trace is under way. */
async function growing(run: Run, bytes: number): Promise<void> {
  const deadline = Date.now() + TIMEOUT / 2;
  while (!(existsSync(run.file) && statSync(run.file).size > bytes)) {
    if (Date.now() > deadline) {
      run.kill('SIGKILL');
      throw new Error(`${run.file} did not grow past ${bytes} bytes; the run said: ${run.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads the file: how many records are in sequence from the first, whether one broke it, and the error, if any. */
async function readSequence(file: string): Promise<{ records: number; outOfSequence: number; error?: TraceError; lastOffset: number }> {
  let records = 0;
  let outOfSequence = 0;
  let lastOffset = -1;
  try {
    for await (const r of (await openSimpleTrace(file)).records()) {
      if (r.kind !== 'event' || r.name !== 'io_unassigned_write') {
        outOfSequence++;
        continue;
      }
      const value = new DataView(r.payload!.buffer, r.payload!.byteOffset).getBigUint64(16, true);
      if (value !== BigInt(records & 0xff)) outOfSequence++;
      records++;
      lastOffset = r.offset;
    }
  } catch (err) {
    if (!isTraceError(err)) throw err;
    return { records, outOfSequence, error: err, lastOffset };
  }
  return { records, outOfSequence, lastOffset };
}

describe.concurrent('unitrace run under signals, mid-trace', () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exits ${status} after flushing; the file holds every record the summary counts, one per exit`, async () => {
      const run = start(signal);
      await growing(run, 96 * 1024);
      run.kill(signal);
      const { code, stderr } = await run.exited;
      expect(code, stderr).toBe(status);
      expect(stderr).toContain(`terminating on signal ${signal}`);
      const exits = Number(/after (\d+) exits/.exec(stderr)?.[1]);
      const counted = Number(/events: host (\d+)/.exec(stderr)?.[1]);
      expect(stderr).toMatch(/sinks: simple 0\b/);
      const read = await readSequence(run.file);
      expect(read.error).toBeUndefined();
      expect(read.outOfSequence).toBe(0);
      expect(read.records).toBe(counted);
      expect(read.records).toBe(exits);
      const tally = new Tally(PKG, `unitrace run: ${signal} mid-trace`, { caseUnit: 'signalled run', itemUnit: 'records' });
      tally.cases = 1;
      tally.accepted = read.records;
      tally.uncounted = exits - read.records;
      tally.note = `${(statSync(run.file).size / 2 ** 20).toFixed(1)} MiB written; exit status ${code}`;
      tally.report();
    }, TIMEOUT);
  }

  it('SIGKILL: the file reads cleanly up to its last write, records in sequence, at most the final one cut', async () => {
    const run = start('SIGKILL');
    await growing(run, 160 * 1024);
    run.kill('SIGKILL');
    const { signal } = await run.exited;
    expect(signal).toBe('SIGKILL');
    const size = statSync(run.file).size;
    const read = await readSequence(run.file);
    expect(read.outOfSequence).toBe(0);
    expect(read.records).toBeGreaterThan(96 * 1024 / RECORD_BYTES);
    if (read.error) {
      // A write(2) cut by SIGKILL between two pages: only the very last record may be partial.
      expect(read.error.message).toMatch(/^truncated record/);
      expect(read.error.location!.offset!).toBeGreaterThan(read.lastOffset);
      expect(size - read.error.location!.offset!).toBeLessThan(RECORD_BYTES);
    }
    const tally = new Tally(PKG, 'unitrace run: SIGKILL mid-trace', { caseUnit: 'killed run', itemUnit: 'records' });
    tally.cases = 1;
    tally.accepted = read.records;
    tally.rejected = read.error ? 1 : 0;
    tally.note = `${read.records} records readable, ${read.error ? 'final record cut' : 'no partial record'}; the unflushed tail is lost by design (nothing runs after SIGKILL)`;
    tally.report();
  }, TIMEOUT);
});
