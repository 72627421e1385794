// Records per second the reader decodes, for 4-integer events (target: at least 2 M/s on the 2-core machines).
// Run: node --conditions=@unitrace/source --import tsx packages/backend-simple/bench/read-rate.ts [events] [dir]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFromText, createManualClock, createRegistry, createTracer } from '@unitrace/core';
import { createSimpleSink } from '../src/index.js';
import { openSimpleTrace } from '../src/reader.js';

const N = Number(process.argv[2] ?? 3_000_000);
const dir = mkdtempSync(join(process.argv[3] ?? tmpdir(), 'unitrace-read-'));
const file = join(dir, 'trace.bin');
const registry = createRegistry(catalogFromText('rd_four(uint64_t a, uint64_t b, uint32_t c, int d) ""\n', '/bench/trace-events'));
registry.enable('*');
const clock = createManualClock(1);
const tracer = createTracer({ registry, clock, pid: 1, exitFlush: false });
tracer.addSink(createSimpleSink({ file, sync: true }, { onError: (e) => console.error(e), pid: 1, clock }));
for (let i = 0; i < N; i++) {
  clock.advance(10);
  tracer.emit(0, [i, i * 2, i & 0xffff, -i]);
}
await tracer.close();
const events = registry.sources[0].events;
console.log(`${N} records, ${(statSync(file).size / 1e6).toFixed(0)} MB`);

const rates: Record<string, number[]> = { records: [], batches: [] };
for (let round = 0; round < 5; round++) {
  const trace = await openSimpleTrace(file, { events });
  let t0 = performance.now();
  let n = 0;
  let check = 0n;
  for await (const r of trace.records()) {
    n++;
    check += r.args![2] as bigint;
  }
  rates.records.push(n / ((performance.now() - t0) / 1000));
  if (n !== N || check === 0n) throw new Error('records view lost records');
  t0 = performance.now();
  n = 0;
  for await (const chunk of trace.batches((name) => registry.lookup(name))) if (chunk.kind === 'batch') n += chunk.batch.count;
  rates.batches.push(n / ((performance.now() - t0) / 1000));
  if (n !== N) throw new Error('batch view lost records');
}
for (const [view, r] of Object.entries(rates)) {
  console.log(`${view.padEnd(8)} best ${(Math.max(...r) / 1e6).toFixed(2)} M records/s, median ${(r.sort((a, b) => a - b)[2] / 1e6).toFixed(2)} M/s`);
}
rmSync(dir, { recursive: true, force: true });
