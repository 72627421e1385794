// Test helpers: registries from catalog text, temporary files, and a SinkEnv that collects errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriter, catalogFromText, createManualClock, createRegistry, type ManualClock, type Registry, type SinkEnv } from '@unitrace/core';

/** A registry from a host catalog text and guest catalog texts (`include "<name>" as <name>` lines added for each). */
export function registryOf(host: string, guests: Readonly<Record<string, string>> = {}): Registry {
  const includes = Object.keys(guests).map((g) => `include "${g}" as ${g}\n`).join('');
  const catalog = catalogFromText(host + includes, '/virtual/trace-events', {
    readFile: (path: string) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const text = guests[name];
      if (text === undefined) throw new Error(`no such file ${path}`);
      return text;
    },
  });
  return createRegistry(catalog);
}

/** A SinkEnv with a manual clock; errors land in `errors`. */
export function testEnv(startNs = 1_000_000, pid = 4242): SinkEnv & { clock: ManualClock; errors: unknown[] } {
  const errors: unknown[] = [];
  return { onError: (err) => errors.push(err), pid, clock: createManualClock(startNs), errors };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'unitrace-simple-'): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Single-event batches and multi-record batches of `<name>(uint64_t v)` records: 40 bytes each on disk. */
export function wordBatch(registry: Registry, name: string, values: readonly number[], timeNs = 1000): BatchWriter {
  const ev = registry.lookup(name)!;
  const w = new BatchWriter(Math.max(64 * 1024, values.length * 40));
  for (const v of values) w.putNumber(w.begin(ev.index, ev.idLo, ev.idHi, timeNs, 4242, 8, -1), v);
  return w;
}

/** Polls `check` every 10 ms until it returns true or `ms` pass; returns its last answer. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
