// `unitrace run` as `npm start` runs it: the demo machine boots firmware then kernel, the stderr lines interleave the
// three sources on one time axis, the trace file holds guest records in their own id ranges, and the summary's
// read-back command works.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, loadCatalog } from '@unitrace/core';
import { openSimpleTrace } from '@unitrace/backend-simple/reader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalogPath } from '../src/demo/demo-files.js';
import { cliAsync, type CliResult, tempDir } from './support/trace-files.js';

const tmp = tempDir('unitrace-run-demo-');
afterAll(() => tmp.cleanup());

const registry = createRegistry(loadCatalog(demoCatalogPath()));
const FIRMWARE_BASE = 0x8000_0000_0000_0000n;
const KERNEL_BASE = 0x8000_0001_0000_0000n;
/** `pid@seconds.micros:name …`: the default stderr backend's QEMU 6–10 `-msg timestamp=on` lines. */
const LINE = /^(\d+)@(\d+)\.(\d{6}):([a-z0-9_]+) /;

interface TraceLine {
  readonly us: number;
  readonly name: string;
  readonly source: string;
}

let run: CliResult;
let lines: TraceLine[];

beforeAll(async () => {
  run = await cliAsync(['run'], { cwd: tmp.dir });
  lines = run.stderr.split('\n').flatMap((l) => {
    const m = LINE.exec(l);
    if (!m) return [];
    const ref = registry.lookup(m[4]!);
    if (!ref) throw new Error(`unknown event on stderr: ${l}`);
    return [{ us: Number(m[2]) * 1e6 + Number(m[3]), name: m[4]!, source: ref.source.name }];
  });
}, 120_000);

describe('unitrace run (the demo machine)', { timeout: 120_000 }, () => {
  it('exits 0 because the kernel halts with 0', () => {
    expect(run.stderr).toMatch(/^unitrace: guest halted with code 0 after \d+ exits/m);
    expect(run.status).toBe(0);
  });

  it('prints host, firmware and kernel events on stderr, each source in time order', () => {
    for (const source of ['host', 'firmware', 'kernel']) {
      const times = lines.filter((l) => l.source === source).map((l) => l.us);
      expect(times.length).toBeGreaterThan(5);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('interleaves them: host events between firmware events, the kernel after the firmware jumped', () => {
    const names = lines.map((l) => l.name);
    const first = names.indexOf('fw_power_on');
    const jump = names.indexOf('fw_jump');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines.slice(first, jump).some((l) => l.source === 'host')).toBe(true);
    // The kernel DMA happens between announcing the load and reporting it.
    const load = names.indexOf('fw_kernel_load');
    expect(names.slice(load, names.indexOf('fw_kernel_loaded'))).toContain('fw_cfg_dma_transfer');
    expect(names.indexOf('kernel_start')).toBeGreaterThan(jump);
    expect(names.indexOf('guest_channel_accepted')).toBeLessThan(names.indexOf('fw_trace_ready'));
    expect(names.at(-1)).toBe('machine_state_change');
  });

  it('does not print the per-byte bus events by default', () => {
    expect(lines.some((l) => ['io_read', 'io_write', 'fw_cfg_read'].includes(l.name))).toBe(false);
  });

  it('ends with a summary: events per source, both handshakes, losses per hop, the file and how to read it', () => {
    const count = (source: string): number => lines.filter((l) => l.source === source).length;
    expect(run.stderr).toContain(`unitrace: events: host ${count('host')}, firmware ${count('firmware')}, kernel ${count('kernel')}\n`);
    expect(run.stderr).toMatch(/^unitrace: handshakes: firmware via fw_cfg: accepted, \d+ records; kernel via hypercall: accepted, \d+ records$/m);
    expect(run.stderr).toMatch(/^unitrace: losses: firmware guest buffer 0, rejected 0, sequence gaps 0; kernel guest buffer 0, rejected 0, sequence gaps 0; sinks: stderr 0, simple 0$/m);
    const files = readdirSync(tmp.dir).filter((f) => f.startsWith('trace-'));
    expect(files).toHaveLength(1);
    expect(run.stderr).toContain(`unitrace: wrote ${files[0]} (simple); read it with: unitrace print ${files[0]}\n`);
  });

  it('writes firmware and kernel records into their own id ranges in the simple trace file', async () => {
    const file = join(tmp.dir, readdirSync(tmp.dir).find((f) => f.startsWith('trace-'))!);
    const trace = await openSimpleTrace(file, { events: registry.sources.flatMap((s) => s.events) });
    const ids = new Map<string, bigint[]>();
    for await (const rec of trace.records()) {
      const source = registry.lookup(rec.name)?.source.name ?? 'none';
      ids.set(source, [...(ids.get(source) ?? []), rec.id]);
    }
    const fw = registry.source('firmware')!;
    const kernel = registry.source('kernel')!;
    expect(ids.get('firmware')!.every((id) => id >= FIRMWARE_BASE && id < FIRMWARE_BASE + BigInt(fw.events.length))).toBe(true);
    expect(ids.get('kernel')!.every((id) => id >= KERNEL_BASE && id < KERNEL_BASE + BigInt(kernel.events.length))).toBe(true);
    expect(ids.get('kernel')!.length).toBe(lines.filter((l) => l.source === 'kernel').length);
    expect(ids.get('host')!.every((id) => id < BigInt(registry.source('host')!.events.length))).toBe(true);
  });

  it('the read-back command of the summary prints the file', async () => {
    const command = /read it with: unitrace (print \S+)$/m.exec(run.stderr)![1]!.split(' ');
    const printed = await cliAsync(command, { cwd: tmp.dir });
    expect(printed.status).toBe(0);
    const out = printed.stdout.toString();
    expect(out).toMatch(/^fw_jump -?\d+\.\d{3} pid=\d+ entry=0x100000$/m);
    expect(out).toMatch(/^kernel_halt -?\d+\.\d{3} pid=\d+ code=0x0 ticks=0x6$/m);
    expect(out).toMatch(/^fw_cmdline -?[\d.]+ pid=\d+ addr=0x20000 length=0x21 text=b'console=hypercall tasks=3 ticks=6'$/m);
  });

  it('is the default catalog of events and convert too', async () => {
    const events = await cliAsync(['events', 'kernel_*'], { cwd: tmp.dir });
    expect(events.status).toBe(0);
    expect(events.stdout.toString()).toMatch(/^kernel +0x8000000100000002 +disabled +kernel_task_switch +"task %u -> %u at tick %u"$/m);
    const file = readdirSync(tmp.dir).find((f) => f.startsWith('trace-'))!;
    const converted = await cliAsync(['convert', '--to', 'ust-json', file], { cwd: tmp.dir });
    expect(converted.status).toBe(0);
    expect(converted.stdout.toString()).toMatch(/^\{"name":"kernel:kernel_halt",.*"fields":\{"code":0,"ticks":6\}\}$/m);
  });
});
