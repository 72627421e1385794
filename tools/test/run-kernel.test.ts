// The demo kernel (UT32, assembled from kernel.s) run on a real machine in both vCPU modes and on both boards: its
// handshake over the hypercall channel, its command line, its scheduler and its halt, as the host decodes them.
import { createRegistry, createTracer, loadCatalog, type Tracer } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import type { Machine } from '@unitrace/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoFiles } from '../src/demo/demo-files.js';
import { createDemoMachine } from '../src/demo/demo-machine.js';
import { KERNEL_LOAD_ADDRESS, buildKernel, kernelDefines } from '../src/demo/kernel-image.js';

vi.setConfig({ testTimeout: 60_000 });

const guest = new URL('./fixtures/run/boot-kernel.ts', import.meta.url);
const machines: Machine[] = [];
const tracers: Tracer[] = [];
afterEach(async () => {
  for (const m of machines.splice(0)) await m.quit();
  for (const t of tracers.splice(0)) await t.close();
});

function setUp(board: 'pc' | 'virt', pattern = 'kernel_*'): { machine: Machine; sink: InMemorySink; image: ReturnType<typeof buildKernel> } {
  const files = demoFiles();
  const registry = createRegistry(loadCatalog(files.catalog));
  registry.enable(pattern);
  const tracer = createTracer({ registry, exitFlush: false });
  tracers.push(tracer);
  const sink = new InMemorySink();
  tracer.addSink(sink);
  const image = buildKernel(files.kernelSource, registry.source('kernel')!);
  const { machine } = createDemoMachine({ tracer, board });
  machines.push(machine);
  return { machine, sink, image };
}

/** The task_run generator of kernel.s, written again in JavaScript: (task + 1) * 64 LCG steps from task * φ + 1. */
function taskResult(task: number): number {
  let x = (Math.imul(0x9e3779b9, task) + 1) | 0;
  for (let i = 0; i < (task + 1) * 64; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x >>> 0;
}

describe('kernel image', () => {
  it('is linked at 1 MiB and gets one define per kernel event plus the catalog hash words', () => {
    const files = demoFiles();
    const source = loadCatalog(files.catalog).sources.find((s) => s.name === 'kernel')!;
    const defines = kernelDefines(source);
    expect(defines.KERNEL_START).toBe(0);
    expect(defines.TRACE_EVENT_COUNT).toBe(source.events.length);
    // Little-endian words of the hex digest: bytes 0..3 of the hash are the low bytes of word 0.
    const b = (i: number): number => parseInt(source.hash.slice(2 * i, 2 * i + 2), 16);
    expect(defines.TRACE_HASH_0).toBe((b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24)) >>> 0);
    expect(defines.TRACE_HASH_7).toBe((b(28) | (b(29) << 8) | (b(30) << 16) | (b(31) << 24)) >>> 0);
    const image = buildKernel(files.kernelSource, source);
    expect(image.origin).toBe(KERNEL_LOAD_ADDRESS);
    expect(image.entry).toBe(image.symbols.get('start'));
  });
});

describe.each([
  ['pc', 'in-thread'],
  ['pc', 'worker'],
  ['virt', 'in-thread'],
  ['virt', 'worker'],
] as const)('the demo kernel on %s, %s', (board, mode) => {
  it('shakes hands, reads tasks= and ticks=, schedules round robin and halts with 0', async () => {
    const { machine, sink, image } = setUp(board);
    const cmdline = 'console=hypercall tasks=2 ticks=5';
    const outcome = await machine.runGuest(guest, { image: image.bytes, origin: image.origin, entry: image.entry, cmdline }, { mode });
    expect(outcome).toMatchObject({ kind: 'halted', code: 0 });
    machine.tracer.deliver();
    const events = sink.records.map((r) => [r.name, r.args] as const);
    const expected: Array<readonly [string, Record<string, number>]> = [
      ['kernel_start', { cmdline_len: cmdline.length, tasks: 2, ticks: 5, board: board === 'pc' ? 0 : 1 }],
    ];
    let task = 0;
    for (let tick = 1; tick <= 5; tick++) {
      expected.push(['kernel_timer', { tick }]);
      const next = (task + 1) % 2;
      expected.push(['kernel_task_switch', { from: task, to: next, tick }]);
      task = next;
      expected.push(['kernel_task_work', { task, iterations: (task + 1) * 64, result: taskResult(task) }]);
    }
    expected.push(['kernel_halt', { code: 0, ticks: 5 }]);
    expect(events.map(([n]) => n)).toEqual(expected.map(([n]) => n));
    events.forEach(([, args], i) => expect(args).toMatchObject(expected[i]![1]));
    // Guest-clock stamps put on the host axis: never decreasing, and the tsc_lo argument grows with them.
    const times = sink.records.map((r) => r.timestampNs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(sink.records.every((r) => r.source === 'kernel' && r.guestClock !== undefined)).toBe(true);
    // One exit per enabled event, plus the probe, the handshake and the status read.
    expect(outcome.exits).toBe(sink.records.length + (board === 'pc' ? 3 : 4));
  });
});

describe('the demo kernel without help', () => {
  it('falls back to its defaults (3 tasks, 8 ticks) without boot information', async () => {
    const { machine, sink, image } = setUp('pc', 'kernel_start');
    const outcome = await machine.runGuest(guest, { image: image.bytes, origin: image.origin, entry: image.entry, cmdline: '', bootInfo: false }, { mode: 'in-thread' });
    expect(outcome).toMatchObject({ kind: 'halted', code: 0 });
    machine.tracer.deliver();
    expect(sink.records.map((r) => r.args)).toEqual([{ cmdline_len: 0, tasks: 3, ticks: 8, board: 0 }]);
  });

  it('costs no exit for a disabled event: only the probe, handshake and status read', async () => {
    const { machine, sink, image } = setUp('pc', 'nothing');
    const outcome = await machine.runGuest(guest, { image: image.bytes, origin: image.origin, entry: image.entry, cmdline: 'ticks=50' }, { mode: 'in-thread' });
    expect(outcome).toEqual({ kind: 'halted', code: 0, exits: 3 });
    machine.tracer.deliver();
    expect(sink.records).toEqual([]);
  });
});

describe.each(['in-thread', 'worker'] as const)('a UT32 fault, %s', (mode) => {
  it('ends the guest with a Ut32Fault outcome, never a host exception', async () => {
    const { machine } = setUp('pc');
    const args = { image: new Uint8Array(0), origin: 0x20_0000, entry: 0x20_0000, cmdline: '' };
    const outcome = await machine.runGuest(guest, args, { mode });
    expect(outcome.kind).toBe('threw');
    if (outcome.kind !== 'threw') return;
    expect(outcome.error.name).toBe('Ut32Fault');
    expect(outcome.error.message).toBe('UT32 opcode fault at pc 0x00200000: unknown opcode 0x00');
  });
});
