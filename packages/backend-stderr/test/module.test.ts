// The SinkModule: loadable by name, validated by core's loader, options from `--backend stderr[:ARG]` strings.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backendOptions, createManualClock, isTraceError, loadSinkModule, parseBackendSpec, validateSinkModule, type SinkEnv } from '@unitrace/core';
import stderrBackend, { type StderrSink } from '../src/index.js';
import { testRegistry } from './support/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (): SinkEnv => ({ onError: () => {}, pid: 77, clock: createManualClock(2_000_000) });

function fromCommandLine(spec: string): StderrSink {
  const { name, arg } = parseBackendSpec(spec);
  expect(name).toBe('stderr');
  return stderrBackend.create(backendOptions(stderrBackend, arg), env()) as StderrSink;
}

describe('the stderr SinkModule', () => {
  it('passes core validation, with a one-line description and `timestamp` as the positional option', () => {
    expect(validateSinkModule(stderrBackend, 'stderr')).toBe(stderrBackend);
    expect(stderrBackend).toMatchObject({ apiVersion: 1, name: 'stderr', positionalOption: 'timestamp' });
    expect(stderrBackend.description).not.toMatch(/\n/);
  });

  it('is what `--backend stderr` and `--backend log` load', async () => {
    expect(await loadSinkModule('stderr')).toBe(stderrBackend);
    expect(await loadSinkModule('log')).toBe(stderrBackend);
  });

  it('reads `stderr:iso`, `stderr:timestamp=pid,color=always,…` and `stderr:file=…` as documented', async () => {
    expect(backendOptions(stderrBackend, 'iso')).toEqual({ timestamp: 'iso' });
    const file = join(dir, 'cli.log');
    const sink = fromCommandLine(`stderr:timestamp=pid,color=always,file=${file},epochOffsetUs=5000000`);
    expect(sink.color).toBe(true);
    for (const s of testRegistry().sources) sink.describe(s);
    sink.dropped(3, 2_000_000); // 2000 µs after an epoch offset of 5 s
    await sink.close();
    expect(readFileSync(file, 'latin1')).toBe('\x1b[2m77@5.002000:\x1b[22m\x1b[33munitrace: dropped 3 events\x1b[39m\n');
  });

  it('refuses an unknown option with E_SINK_OPTIONS before creating the file', () => {
    const file = join(dir, 'never.log');
    let caught: unknown;
    try {
      fromCommandLine(`stderr:file=${file},colour=never`);
    } catch (err) {
      caught = err;
    }
    expect(isTraceError(caught, 'E_SINK_OPTIONS')).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(() => fromCommandLine('stderr:sometimes')).toThrow(/timestamp must be none, iso, tid or pid/);
  });

  it('refuses a file it cannot create with E_IO at creation, not at the first write', () => {
    let caught: unknown;
    try {
      fromCommandLine(`stderr:file=${join(dir, 'no-such-dir', 'x.log')}`);
    } catch (err) {
      caught = err;
    }
    expect(isTraceError(caught, 'E_IO')).toBe(true);
    expect((caught as Error).message).toMatch(/cannot open .*x\.log: ENOENT/);
  });
});
