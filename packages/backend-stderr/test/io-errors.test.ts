// A failing destination (EBADF, ENOSPC, EPIPE) never throws: env.onError once, every lost record counted as dropped.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError } from '@unitrace/core';
import { createStderrSink, type StderrSinkOptions } from '../src/index.js';
import { emitSamples, SAMPLES, testTracer } from './support/catalog.js';
import { readBackText } from './support/read-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A FIFO whose reader has gone: writing to it fails with EPIPE (Node ignores SIGPIPE). */
function brokenPipe(): number {
  const path = join(dir, `fifo-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY);
  closeSync(reader);
  return writer;
}

async function failing(options: StderrSinkOptions, code: string): Promise<void> {
  const { tracer, clock } = testTracer();
  const errors: unknown[] = [];
  const sink = createStderrSink(options, { onError: (e) => errors.push(e), pid: 1, clock });
  tracer.addSink(sink);
  emitSamples(tracer, clock, 3);
  expect(() => tracer.deliver()).not.toThrow();
  await tracer.flush();
  emitSamples(tracer, clock, 2);
  tracer.dropped(4);
  await tracer.flush();
  sink.flushSync();
  // The tracer counts a sink method that threw as a failure: there must be none.
  expect(tracer.sinkStatus().map((s) => [s.failures, s.lost])).toEqual([[0, 0]]);
  await expect(tracer.close()).resolves.toBeUndefined();

  expect(errors.length).toBe(1);
  expect(isTraceError(errors[0], 'E_IO')).toBe(true);
  expect(((errors[0] as Error).cause as NodeJS.ErrnoException).code).toBe(code);
  expect((errors[0] as Error).message).toMatch(new RegExp(`^backend stderr: cannot write to .+: ${code}$`));
  const stats = sink.stats();
  expect(stats.records).toBe(0);
  expect(stats.dropped).toBe(SAMPLES.length * 5);
  expect(stats.errors).toBeGreaterThanOrEqual(2);
}

describe.each([true, false])('a failing destination, sync: %s', (sync) => {
  it('EBADF: a descriptor that is not open', async () => {
    await failing({ fd: 1_000_000, sync }, 'EBADF');
  });

  it.skipIf(!existsSync('/dev/full'))('ENOSPC: /dev/full', async () => {
    await failing({ file: '/dev/full', sync }, 'ENOSPC');
  });

  it('EPIPE: a pipe whose reader is gone', async () => {
    const fd = brokenPipe();
    try {
      await failing({ fd, sync }, 'EPIPE');
    } finally {
      closeSync(fd);
    }
  });
});

describe('a destination that is only slow', () => {
  it('a full non-blocking pipe (EAGAIN) is retried, not dropped, while its reader catches up', async () => {
    const path = join(dir, 'slow-fifo');
    const out = join(dir, 'slow.out');
    execFileSync('mkfifo', [path]);
    const keep = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    const reader = spawn('sh', ['-c', `sleep 0.2; cat "${path}" > "${out}"`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => reader.on('exit', resolve));
    const { tracer, clock } = testTracer();
    const errors: unknown[] = [];
    const sink = createStderrSink({ fd }, { onError: (e) => errors.push(e), pid: 1, clock });
    tracer.addSink(sink);
    emitSamples(tracer, clock, 300); // about 200 KiB: three times what a pipe holds
    await tracer.close();
    closeSync(keep);
    closeSync(fd);
    await exited;
    expect(errors).toEqual([]);
    expect(sink.stats().dropped).toBe(0);
    expect(readBackText(readFileSync(out)).records.length).toBe(SAMPLES.length * 300);
  }, 20_000);
});
