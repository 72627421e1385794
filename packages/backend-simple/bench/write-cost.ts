// Cost of a 4-integer event through the tracer into the simple sink, against a hand-written lower bound.
// Run: node --conditions=@unitrace/source --import tsx packages/backend-simple/bench/write-cost.ts [events] [dir]
// The machine is shared: take the best of several rounds, and read the drop counts (a starved writer thread drops).
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFromText, createMonotonicClock, createRegistry, createTracer, type Tracer } from '@unitrace/core';
import { createSimpleSink } from '../src/index.js';

const N = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = 7;
const dir = mkdtempSync(join(process.argv[3] ?? tmpdir(), 'unitrace-bench-'));
const clock = createMonotonicClock();
const pid = process.pid;

/** Lower bound: read the clock, store the record with typed-array stores, fs.writeSync every 64 KiB. */
function baseline(file: string): number {
  const fd = openSync(file, 'w');
  const bytes = new Uint8Array(65536);
  const u32 = new Uint32Array(bytes.buffer);
  let pos = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    if (pos + 64 > 65536) {
      writeSync(fd, bytes, 0, pos);
      pos = 0;
    }
    const t = clock.nowNs();
    const w = pos >> 2;
    u32[w] = 1;
    u32[w + 1] = 0;
    u32[w + 2] = 3;
    u32[w + 3] = 0;
    u32[w + 4] = t >>> 0;
    u32[w + 5] = (t / 4294967296) >>> 0;
    u32[w + 6] = 56;
    u32[w + 7] = pid;
    u32[w + 8] = i >>> 0;
    u32[w + 9] = 0;
    u32[w + 10] = (i * 2) >>> 0;
    u32[w + 11] = 0;
    u32[w + 12] = i & 0xffff;
    u32[w + 13] = 0;
    u32[w + 14] = -i | 0;
    u32[w + 15] = -i < 0 ? 0xffffffff : 0;
    pos += 64;
  }
  writeSync(fd, bytes, 0, pos);
  closeSync(fd);
  return performance.now() - t0;
}

const CATALOG = `bench_a(void) ""
bench_b(void) ""
bench_c(void) ""
bench_four(uint64_t a, uint64_t b, uint32_t c, int d) "a %" PRIu64 " b %" PRIu64 " c %u d %d"
`;

/** The tracepoint as core's host-ts generator writes it for bench_four. */
function tracepoint(tracer: Tracer, index: number): (a: number, b: number, c: number, d: number) => void {
  const S = tracer.state;
  const W = tracer.writer;
  return (a, b, c, d) => {
    if (S[index] === 0) return;
    let o = tracer.begin(index, 32);
    o = typeof a === 'number' ? W.putNumber(o, a) : W.putBigInt(o, a);
    o = typeof b === 'number' ? W.putNumber(o, b) : W.putBigInt(o, b);
    o = W.putWords(o, c >>> 0, 0);
    W.putNumber(o, d | 0);
  };
}

/** The tracer alone, into a sink that does nothing: what the sink's own share is measured against. */
function throughNothing(): number {
  const registry = createRegistry(catalogFromText(CATALOG, '/bench/trace-events'));
  registry.enable('bench_four');
  const tracer = createTracer({ registry, clock, pid, exitFlush: false });
  tracer.addSink({ name: 'nothing', describe() {}, write() {}, dropped() {}, flush: async () => {}, close: async () => {} });
  const fire = tracepoint(tracer, registry.lookup('bench_four')!.index);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fire(i, i * 2, i & 0xffff, -i);
  tracer.deliver();
  return performance.now() - t0;
}

/** The tracer into a sink that only fs.writeSync's each batch: the floor for any sink writing on this thread. */
function throughWriteSync(file: string): number {
  const registry = createRegistry(catalogFromText(CATALOG, '/bench/trace-events'));
  registry.enable('bench_four');
  const tracer = createTracer({ registry, clock, pid, exitFlush: false });
  const fd = openSync(file, 'w');
  tracer.addSink({
    name: 'writeSync',
    describe() {},
    write: (b) => void writeSync(fd, b.bytes, 0, b.byteLength),
    dropped() {},
    flush: async () => {},
    close: async () => {},
  });
  const fire = tracepoint(tracer, registry.lookup('bench_four')!.index);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fire(i, i * 2, i & 0xffff, -i);
  tracer.deliver();
  const t = performance.now() - t0;
  closeSync(fd);
  return t;
}

async function throughSink(file: string, sync: boolean): Promise<{ produce: number; total: number; dropped: number }> {
  const registry = createRegistry(catalogFromText(CATALOG, '/bench/trace-events'));
  registry.enable('bench_four');
  const tracer = createTracer({ registry, clock, pid, exitFlush: false });
  const sink = createSimpleSink({ file, sync }, { onError: (e) => console.error(e), pid, clock });
  tracer.addSink(sink);
  await sink.flush(); // the writer thread is up before timing starts
  const fire = tracepoint(tracer, registry.lookup('bench_four')!.index);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fire(i, i * 2, i & 0xffff, -i);
  tracer.deliver();
  const produce = performance.now() - t0;
  await tracer.flush();
  const total = performance.now() - t0;
  const stats = sink.stats();
  await tracer.close();
  return { produce, total, dropped: stats.dropped };
}

const ns = (ms: number): string => ((ms * 1e6) / N).toFixed(1).padStart(6);
const results: Record<string, number[]> = { baseline: [], nothing: [], floor: [], worker: [], workerTotal: [], sync: [] };
const drops: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  results.baseline.push(baseline(join(dir, 'baseline.bin')));
  results.nothing.push(throughNothing());
  results.floor.push(throughWriteSync(join(dir, 'floor.bin')));
  const w = await throughSink(join(dir, 'worker.bin'), false);
  results.worker.push(w.produce);
  results.workerTotal.push(w.total);
  drops.push(w.dropped);
  results.sync.push((await throughSink(join(dir, 'sync.bin'), true)).total);
}
const best = (xs: number[]): number => Math.min(...xs);
const base = best(results.baseline);
console.log(`${N} events, best of ${ROUNDS} rounds, ns per event (ratio to baseline)`);
console.log(`${'baseline (clock + typed-array stores + writeSync 64 KiB):'.padEnd(58)}${ns(base)}`);
const line = (label: string, key: string): void => {
  const ms = best(results[key]);
  console.log(`${label.padEnd(58)}${ns(ms)}  (${(ms / base).toFixed(2)}×)`);
};
line('tracer → a sink that does nothing (core alone):', 'nothing');
line('tracer → a sink that only calls fs.writeSync per batch:', 'floor');
line('tracer → simple, writer thread (4 MiB bound), producer:', 'worker');
line('tracer → simple, writer thread (4 MiB bound), until written:', 'workerTotal');
console.log(`  records dropped per round by the 4 MiB bound: ${drops.join(', ')}`);
line('tracer → simple, sync (fs.writeSync on this thread):', 'sync');
console.log(`file sizes: baseline ${statSync(join(dir, 'baseline.bin')).size}, sync ${statSync(join(dir, 'sync.bin')).size}`);
rmSync(dir, { recursive: true, force: true });
