// Measures the vCPU exit round trip (worker and in-thread) and the main event loop's lateness during a run.
// Run: npx tsx --conditions=@unitrace/source packages/emulator/scripts/bench-exits.ts [exits per run] [runs]
// Not a test: timings depend on the machine and its load; report the numbers, never assert them.
import { Worker } from 'node:worker_threads';
import type { Device } from '../src/devices/device.js';
import { createMachine } from '../src/machine.js';

const count = Number(process.argv[2] ?? 200_000);
const runs = Number(process.argv[3] ?? 5);
const guest = new URL('./bench-guest.ts', import.meta.url);

const nullDevice: Device = {
  name: 'null',
  attach: (ctx) => ctx.io.register(0x80, 1, 'null', { sizes: [1], read: () => 0, write: () => {} }),
  reset: () => {},
};

async function once(mode: 'worker' | 'in-thread', op: 'in' | 'out'): Promise<{ ns: number; lateMs: number }> {
  const machine = createMachine({ devices: [nullDevice], ramBytes: 1 << 16 });
  // Event-loop lateness: how much later than asked a 1 ms interval fires while the guest runs (its start-up, which
  // creates the worker on this thread, is not counted).
  let last = performance.now();
  let lateMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    if (machine.stats().vcpus[0]?.state === 'running') lateMs = Math.max(lateMs, now - last - 1);
    last = now;
  }, 1);
  const outcome = await machine.runGuest(guest, { count, op }, { mode });
  clearInterval(timer);
  await machine.quit();
  if (outcome.kind !== 'returned' || outcome.exits !== count) throw new Error(`bench guest: ${JSON.stringify(outcome)}`);
  const ticks = new DataView(machine.ram.buffer).getFloat64(0x100, true);
  return { ns: ticks / count, lateMs }; // 1 GHz guest clock: one tick per ns
}

/** The floor under any exit protocol here: two threads ping-ponging one Int32 with pure spinning, no devices. */
async function rawSpin(): Promise<number> {
  const c = new Int32Array(new SharedArrayBuffer(8));
  const src = `const { workerData: c, parentPort } = require('node:worker_threads');
    const n = ${count}; const t0 = performance.now();
    for (let i = 1; i <= n; i++) { Atomics.store(c, 0, i); while (Atomics.load(c, 1) !== i); }
    parentPort.postMessage((performance.now() - t0) * 1e6 / n);`;
  const w = new Worker(src, { eval: true, workerData: c });
  const result = new Promise<number>((resolve) => w.once('message', resolve));
  await new Promise((resolve) => w.once('online', resolve));
  for (let last = 0; last !== count; ) {
    const s = Atomics.load(c, 0);
    if (s !== last) Atomics.store(c, 1, (last = s));
  }
  const ns = await result;
  await w.terminate();
  return ns;
}

/** The Atomics.wait/notify round trip, without spinning. */
async function rawWait(n: number): Promise<number> {
  const c = new Int32Array(new SharedArrayBuffer(8));
  const src = `const { workerData: c, parentPort } = require('node:worker_threads');
    const n = ${n}; const t0 = performance.now();
    for (let i = 1; i <= n; i++) { Atomics.store(c, 0, i); Atomics.notify(c, 0); while (Atomics.load(c, 1) !== i) Atomics.wait(c, 1, i - 1); }
    parentPort.postMessage((performance.now() - t0) * 1e6 / n);`;
  const w = new Worker(src, { eval: true, workerData: c });
  const result = new Promise<number>((resolve) => w.once('message', resolve));
  for (let last = 0; last !== n; ) {
    const r = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: unknown } })
      .waitAsync(c, 0, last);
    if (r.async) await r.value;
    const s = Atomics.load(c, 0);
    if (s !== last) {
      Atomics.store(c, 1, (last = s));
      Atomics.notify(c, 1);
    }
  }
  const ns = await result;
  await w.terminate();
  return ns;
}

/** The same lateness measure with nothing running: what the host gives us anyway. */
async function idleLateness(ms: number): Promise<number> {
  let last = performance.now();
  let late = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    late = Math.max(late, now - last - 1);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, ms));
  clearInterval(timer);
  return late;
}

const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(3)}  median ${s[Math.floor(s.length / 2)].toFixed(3)}  max ${s[s.length - 1].toFixed(3)}`;
};

console.log(`${count} exits per run, ${runs} runs, node ${process.version}`);
const spins = [];
const waits = [];
for (let i = 0; i < runs; i++) {
  spins.push(await rawSpin());
  waits.push(await rawWait(Math.min(count, 20_000)));
}
console.log(`raw spin ping-pong µs:  ${fmt(spins.map((ns) => ns / 1000))}`);
console.log(`idle event-loop lateness ms (no guest, 300 ms): ${(await idleLateness(300)).toFixed(3)}`);
console.log(`raw wait/notify µs:     ${fmt(waits.map((ns) => ns / 1000))}`);
for (const mode of ['worker', 'in-thread'] as const) {
  for (const op of ['out', 'in'] as const) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(mode, op));
    console.log(`${mode.padEnd(9)} ${op.padEnd(3)} µs/exit: ${fmt(results.map((r) => r.ns / 1000))}`);
    if (mode === 'worker') console.log(`${''.padEnd(13)} event-loop lateness ms: ${fmt(results.map((r) => r.lateMs))}`);
  }
}
