// Faults: a guest floods host records (one per VM exit) while one sink hits ENOSPC (/dev/full, three backends), one
// throws, and one writes to a pipe nobody drains. The guest runs to its end without waiting on any sink; the good
// file holds every record; every failing sink's loss is counted (tracer status, its own stats) and reported once;
// the stalled pipe, once drained, carries its records plus dropped records that account for all the rest.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, type RecordBatch, type Sink, type SinkEnv } from '@unitrace/core';
import { Tally } from '@unitrace/core/testing';
import { createSimpleSink, MIN_MAX_LENGTH } from '@unitrace/backend-simple';
import { openSimpleTrace } from '@unitrace/backend-simple/reader';
import { createStderrSink } from '@unitrace/backend-stderr';
import { createUstJsonSink } from '@unitrace/backend-ust-json';
import { createMachine, createPrivateTracer } from '@unitrace/emulator';
import { tempDir } from './support/trace-files.js';

const PKG = '@unitrace/tools';
const tmp = tempDir('unitrace-sink-fault-');
afterAll(() => tmp.cleanup());
const GUEST = new URL('./fixtures/flood-fault-guest.ts', import.meta.url);
const EXITS = 20_000;
// io_unassigned_write(uint16_t, unsigned, uint32_t) on disk: 8 (type) + 24 (header) + 3 × 8 (arguments).
const RECORD_BYTES = 56;

/** Reads everything a non-blocking pipe holds now. */
function drain(fd: number, into: Buffer[]): number {
  let total = 0;
  const chunk = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return total;
      throw err;
    }
    if (n === 0) return total;
    into.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
  }
}

function throwingSink(): Sink {
  return {
    name: 'throws',
    describe() {},
    write(_batch: RecordBatch) {
      throw new Error('sink bug');
    },
    dropped() {
      throw new Error('sink bug');
    },
    flush: async () => {},
    close: async () => {},
  };
}

describe.skipIf(!existsSync('/dev/full'))('a guest flood while sinks fail', () => {
  it('the guest never waits, the good file has every record, every other loss is counted and reported', async () => {
    const tally = new Tally(PKG, 'sinks: ENOSPC ×2, EPIPE, throwing, stalled pipe, beside a good file, under a guest flood', {
      caseUnit: 'guest run',
      itemUnit: 'records (all sinks)',
    });
    const tracer = createPrivateTracer();
    tracer.registry.enable('io_unassigned_write');
    const errors = new Map<string, unknown[]>();
    const env = (name: string): SinkEnv => ({ onError: (e) => errors.set(name, [...(errors.get(name) ?? []), e]), pid: 4242, clock: tracer.clock });
    const fifo = tmp.path('stalled.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // opened, never read until the end
    const good = tmp.path('good.bin');
    // The simple backend writes its header when created: on a full disk it refuses to start, loudly.
    expect(() => createSimpleSink({ file: '/dev/full' }, env('refused'))).toThrow(/ENOSPC/);
    // So its write errors are met through a pipe whose reader goes away after the header (EPIPE on every write).
    const broken = tmp.path('broken.fifo');
    execFileSync('mkfifo', [broken]);
    const brokenReader = openSync(broken, constants.O_RDONLY | constants.O_NONBLOCK);
    const epipe = createSimpleSink({ file: broken, minLength: 0 }, env('simple-epipe'));
    await epipe.flush();
    closeSync(brokenReader);
    const sinks: Record<string, Sink> = {
      good: createSimpleSink({ file: good }, env('good')),
      'simple-epipe': epipe,
      'ust-json-enospc': createUstJsonSink({ file: '/dev/full' }, env('ust-json-enospc')),
      'stderr-enospc': createStderrSink({ file: '/dev/full', sync: false }, env('stderr-enospc')),
      throws: throwingSink(),
      stalled: createSimpleSink({ file: fifo, maxLength: MIN_MAX_LENGTH, minLength: 0 }, env('stalled')),
    };
    for (const sink of Object.values(sinks)) tracer.addSink(sink);
    const before = process.memoryUsage();
    const machine = createMachine({ tracer, ramBytes: 1 << 16 });
    const outcome = await machine.runGuest(GUEST, { count: EXITS }, { mode: 'worker' });
    tracer.deliver();
    const after = process.memoryUsage();
    // Main-thread memory the flood left behind (the vCPU worker's own isolate shows in RSS, not here).
    const growth = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    expect(growth).toBeLessThan(64 * 2 ** 20);

    // The vCPU ran to its end with the pipe still full: no exit waited on a sink.
    expect(outcome).toEqual({ kind: 'returned', exits: EXITS });
    const thrower = tracer.sinkStatus().find((st) => st.name === 'throws')!;
    expect({ delivered: thrower.delivered, lost: thrower.lost }).toEqual({ delivered: 0, lost: EXITS });
    expect(thrower.failures).toBeGreaterThan(0);
    const stalledNow = sinks.stalled!.stats!();
    expect(stalledNow.dropped, 'the stalled sink drops while its pipe is full').toBeGreaterThan(0);
    // What it took in is bounded by its ring and the pipe (64 KiB, at most 1 MiB), not by the flood.
    expect(stalledNow.records * RECORD_BYTES).toBeLessThan(MIN_MAX_LENGTH + (1 << 20) + (1 << 16));

    // Recover the pipe: drain it while the tracer flushes and closes every sink.
    const piped: Buffer[] = [];
    let closed = false;
    const closing = tracer.close().then(() => (closed = true));
    while (!closed) {
      drain(reader, piped);
      await new Promise((r) => setTimeout(r, 2));
    }
    await closing;
    drain(reader, piped);
    closeSync(reader);
    await machine.quit();

    // The good file: every record, in order.
    let goodRecords = 0;
    for await (const r of (await openSimpleTrace(good)).records()) {
      expect(r.kind).toBe('event');
      goodRecords++;
    }
    expect(goodRecords).toBe(EXITS);

    // The stalled pipe, read back: its records plus its dropped records account for every record.
    const pipeFile = tmp.path('stalled.bin');
    writeFileSync(pipeFile, Buffer.concat(piped));
    let pipeRecords = 0;
    let pipeDropped = 0;
    for await (const r of (await openSimpleTrace(pipeFile)).records()) {
      if (r.kind === 'dropped') pipeDropped += Number(r.args![0]);
      else pipeRecords++;
    }
    expect(pipeDropped).toBeGreaterThan(0);
    expect(pipeRecords + pipeDropped).toBe(EXITS);

    // Every sink: what the tracer delivered is written or counted; each failing sink reported once, as E_IO.
    const accepted = goodRecords + pipeRecords;
    let lost = pipeDropped;
    for (const [name, sink] of Object.entries(sinks)) {
      if (name === 'good' || name === 'stalled' || name === 'throws') continue;
      const stats = sink.stats?.();
      expect(stats, name).toBeDefined();
      // Nothing reached /dev/full or the broken pipe: everything handed to the sink is counted as dropped by it.
      expect(stats!.dropped, name).toBe(EXITS);
      expect(errors.get(name)?.length, name).toBe(1);
      expect(isTraceError(errors.get(name)![0], 'E_IO'), name).toBe(true);
      lost += stats!.dropped;
    }
    expect(errors.get('good')).toBeUndefined();
    expect(errors.get('stalled')).toBeUndefined();
    tally.cases = 1;
    tally.accepted = accepted;
    lost += thrower.lost; // counted by the tracer: the sink threw before taking anything
    tally.lost = lost;
    tally.uncounted = 6 * EXITS - accepted - lost;
    tally.note = `${EXITS} exits; simple on /dev/full refused at creation (E_IO); stalled pipe: ${pipeRecords} written, ${pipeDropped} dropped; main-thread heap + buffers growth ${(growth / 2 ** 20).toFixed(1)} MiB, RSS ${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MiB with the vCPU worker`;
    expect(tally.uncounted).toBe(0);
    tally.report();
  }, 120_000);
});
