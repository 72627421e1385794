// Fault: a slow sink under a guest flood. Firmware built on the SDK floods records through the fw_cfg channel while
// one sink writes to a pipe nobody reads. The vCPU takes exactly as many exits as without that sink (it never waits
// on a sink), host memory stays bounded, and once the pipe drains its trace holds records plus dropped records that
// add up to every record the guest sent; a good file beside it holds them all.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogFromText, createRegistry, createTracer, type Sink, type SinkEnv } from '@unitrace/core';
import { Tally } from '@unitrace/core/testing';
import { createSimpleSink, MIN_MAX_LENGTH } from '@unitrace/backend-simple';
import { openSimpleTrace } from '@unitrace/backend-simple/reader';
import { createFwCfg, createMachine, EMULATOR_TRACE_EVENTS, type GuestOutcome } from '@unitrace/emulator';
import { createFwCfgChannel } from '@unitrace/emulator';
import { tempDir } from './support/trace-files.js';

const PKG = '@unitrace/tools';
const tmp = tempDir('unitrace-guest-flood-');
afterAll(() => tmp.cleanup());
const GUEST = new URL('./fixtures/guest-flood-fault-guest.ts', import.meta.url);
const GUEST_EVENTS = 'flood_seq(uint64_t n) "%" PRIu64\nflood_note(const char *s) "%s"\n';
const RECORDS = 50_000;
const OUT = 0x1000;

interface Flood {
  readonly outcome: GuestOutcome;
  readonly guest: { accepted: number; sent: number; dropped: number; sends: number };
  readonly channel: { accepted: number; rejected: number; lost: number };
  readonly growth: number;
  readonly close: () => Promise<void>;
}

/** Runs the flood on a fresh machine whose tracer has `sinks` (made with the tracer's env). */
async function flood(makeSinks: (env: SinkEnv) => Sink[]): Promise<Flood> {
  const catalog = catalogFromText(`${EMULATOR_TRACE_EVENTS}include "guest" as fw\n`, 'emulator/trace-events', { readFile: () => GUEST_EVENTS });
  const registry = createRegistry(catalog);
  registry.enable('flood_*');
  const tracer = createTracer({ registry, exitFlush: false });
  const errors: unknown[] = [];
  for (const s of makeSinks({ onError: (e) => errors.push(e), pid: 1, clock: tracer.clock })) tracer.addSink(s);
  const fwCfg = createFwCfg({ variant: 'io' });
  const channel = createFwCfgChannel({ fwCfg, source: 'fw' });
  const machine = createMachine({ tracer, devices: [fwCfg, channel], ramBytes: 1 << 20 });
  const before = process.memoryUsage();
  const outcome = await machine.runGuest(GUEST, { hash: registry.source('fw')!.hash, region: 0x10000, regionBytes: 0x20000, out: OUT, count: RECORDS }, { mode: 'worker' });
  tracer.deliver();
  const after = process.memoryUsage();
  const v = new DataView(machine.ram.buffer);
  const s = channel.stats();
  expect(errors).toEqual([]);
  return {
    outcome,
    guest: { accepted: v.getUint32(OUT, true), sent: v.getUint32(OUT + 4, true), dropped: v.getUint32(OUT + 8, true), sends: v.getUint32(OUT + 12, true) },
    channel: { accepted: s.accepted, rejected: s.rejected, lost: s.rejected + s.guestDropped + s.gapRecords },
    growth: after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers,
    close: async () => {
      await tracer.close();
      await machine.quit();
    },
  };
}

describe('a slow sink under a guest flood', () => {
  it('the vCPU never waits on the sink, memory stays bounded, and every dropped record is accounted for', async () => {
    // Reference: the same guest with one good sink.
    const reference = await flood((env) => [createSimpleSink({ file: tmp.path('reference.bin') }, env)]);
    await reference.close();
    expect(reference.guest).toMatchObject({ accepted: 1, sent: RECORDS, dropped: 0 });

    const fifo = tmp.path('stalled.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // never read until the guest is done
    const good = tmp.path('good.bin');
    const run = await flood((env) => [createSimpleSink({ file: good }, env), createSimpleSink({ file: fifo, maxLength: MIN_MAX_LENGTH, minLength: 0 }, env)]);

    // The guest ran to its end with the pipe full, taking the same exits as with no slow sink at all.
    expect(run.outcome.kind).toBe('returned');
    expect(run.outcome.exits).toBe(reference.outcome.exits);
    expect(run.guest).toEqual(reference.guest);
    expect(run.channel).toEqual({ accepted: RECORDS, rejected: 0, lost: 0 });
    expect(run.growth).toBeLessThan(64 * 2 ** 20);

    // The pipe recovers: drain it while the tracer closes every sink.
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    const drain = (): void => {
      for (;;) {
        let n: number;
        try {
          n = readSync(reader, buf, 0, buf.length, null);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return;
          throw err;
        }
        if (n === 0) return;
        chunks.push(Buffer.from(buf.subarray(0, n)));
      }
    };
    let closed = false;
    const closing = run.close().then(() => (closed = true));
    while (!closed) {
      drain();
      await new Promise((r) => setTimeout(r, 2));
    }
    await closing;
    drain();
    closeSync(reader);

    const count = async (file: string): Promise<{ records: number; dropped: number; inOrder: boolean }> => {
      let records = 0;
      let dropped = 0;
      let inOrder = true;
      for await (const r of (await openSimpleTrace(file)).records()) {
        if (r.kind === 'dropped') dropped += Number(r.args![0]);
        else {
          if (new DataView(r.payload!.buffer, r.payload!.byteOffset).getBigUint64(0, true) < BigInt(records)) inOrder = false;
          records++;
        }
      }
      return { records, dropped, inOrder };
    };
    expect(await count(good)).toEqual({ records: RECORDS, dropped: 0, inOrder: true });
    const pipeFile = tmp.path('stalled.bin');
    writeFileSync(pipeFile, Buffer.concat(chunks));
    const piped = await count(pipeFile);
    expect(piped.dropped).toBeGreaterThan(0);
    expect(piped.records + piped.dropped).toBe(RECORDS);

    const tally = new Tally(PKG, 'slow sink under a guest flood (fw_cfg channel, SDK firmware)', { caseUnit: 'guest run', itemUnit: 'records (good file + stalled pipe)' });
    tally.cases = 1;
    tally.accepted = RECORDS + piped.records;
    tally.lost = piped.dropped;
    tally.uncounted = 2 * RECORDS - tally.accepted - tally.lost;
    tally.note = `${run.outcome.exits} vCPU exits with the stalled sink, ${reference.outcome.exits} without; main-thread growth ${(run.growth / 2 ** 20).toFixed(1)} MiB`;
    expect(tally.uncounted).toBe(0);
    tally.report();
  }, 120_000);
});
