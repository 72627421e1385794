// Test helpers: simpletrace files written by the real simple backend, temporary directories, the CLI as a child.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArgValue, createManualClock, createRegistry, createTracer, loadCatalog, type Registry } from '@unitrace/core';
import { createSimpleSink } from '@unitrace/backend-simple';

/** One record to write: an event by name with its values, or a dropped notice; at `ns` on the host time axis. */
export type TraceItem = { readonly name: string; readonly values: readonly ArgValue[]; readonly ns: number } | { readonly drop: number; readonly ns: number };

/** Writes `items` to a simpletrace file with backend-simple (header, mappings of every event, records in order). */
export async function writeTrace(catalogFile: string, file: string, items: readonly TraceItem[], pid = 4242): Promise<Registry> {
  const registry = createRegistry(loadCatalog(catalogFile));
  registry.enable('*');
  const clock = createManualClock(0);
  const errors: unknown[] = [];
  const tracer = createTracer({ registry, clock, pid, exitFlush: false });
  tracer.addSink(createSimpleSink({ file, sync: true }, { onError: (e) => errors.push(e), pid, clock }));
  for (const item of items) {
    clock.set(Math.max(clock.nowNs(), item.ns));
    if ('drop' in item) tracer.dropped(item.drop, item.ns);
    else {
      const ref = registry.lookup(item.name);
      if (!ref) throw new Error(`no event ${item.name}`);
      tracer.emit(ref.index, item.values);
    }
  }
  await tracer.close();
  if (errors.length > 0) throw errors[0];
  return registry;
}

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = 'unitrace-tools-'): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The repository root and the `unitrace` entry script. */
export const REPO: string = join(import.meta.dirname, '..', '..', '..');
export const BIN: string = join(REPO, 'tools', 'bin', 'unitrace.js');
/** The QEMU corpus fixture (spec §8) kept by core. */
export const CORPUS: string = join(REPO, 'packages', 'core', 'test', 'fixtures', 'qemu-trace-events');

/** What a finished child process left. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs `unitrace ARGS` in a child process (synchronously) and collects its output. */
export function cli(args: readonly string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, input: options.input, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** Runs `unitrace ARGS` in a child process without blocking the test's event loop. */
export function cliAsync(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The spec §5.4 vector (header, two mappings, two events, a dropped record). */
export const SPEC_VECTOR: string = join(import.meta.dirname, '..', 'fixtures', 'spec-5.4.simpletrace');

/**
 * Writes a large valid trace quickly: the spec vector's header and mappings, then its first event record
 * (fw_cfg_select, 69 bytes) `count` times with growing timestamps, through one preallocated 4 MiB block.
 * Returns the file size.
 */
export function writeRepeatedTrace(path: string, count: number): number {
  const vector = readFileSync(SPEC_VECTOR);
  const head = vector.subarray(0, 0x58);
  const record = vector.subarray(0x58, 0x9d);
  const per = Math.floor((4 * 1024 * 1024) / record.length);
  const block = Buffer.alloc(per * record.length);
  for (let i = 0; i < per; i++) record.copy(block, i * record.length);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    let ts = 1_000_000;
    for (let left = count; left > 0; left -= per) {
      const n = Math.min(per, left);
      for (let i = 0; i < n; i++) block.writeUInt32LE((ts += 1500) >>> 0, i * record.length + 16);
      writeSync(fd, block, 0, n * record.length);
    }
  } finally {
    closeSync(fd);
  }
  return head.length + count * record.length;
}
