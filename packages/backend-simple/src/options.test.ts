import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendOptions, createManualClock, isTraceError, loadSinkModule, parseBackendSpec } from '@unitrace/core';
import simpleBackend from './index.js';
import { resolveOptions } from './options.js';

const env = { onError: () => undefined, pid: 99, clock: createManualClock() };
const dir = mkdtempSync(join(tmpdir(), 'unitrace-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function optionsError(options: Record<string, unknown>): string {
  try {
    resolveOptions(options, 1);
  } catch (err) {
    expect(isTraceError(err, 'E_SINK_OPTIONS')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('resolveOptions', () => {
  it('applies QEMU-like defaults: trace-<pid>, 64 KiB chunks, 16 MiB bound, writer thread, on', () => {
    expect(resolveOptions({}, 1234)).toEqual({
      file: 'trace-1234',
      minLength: 65536,
      maxLength: 16777216,
      sync: false,
      periodicFlushMs: 0,
      enabled: true,
    });
  });

  it('takes strings from the command line: decimal numbers and on|off|true|false', () => {
    expect(resolveOptions({ file: 't.bin', minLength: '0', maxLength: '8192', sync: 'on', periodicFlushMs: '250', enabled: 'false' }, 1)).toEqual({
      file: 't.bin',
      minLength: 0,
      maxLength: 8192,
      sync: true,
      periodicFlushMs: 250,
      enabled: false,
    });
    expect(resolveOptions({ sync: 'off', enabled: 'true' }, 1)).toMatchObject({ sync: false, enabled: true });
  });

  it('lowers the default minLength to a small maxLength', () => {
    expect(resolveOptions({ maxLength: 10000 }, 1).minLength).toBe(10000);
  });

  it.each([
    [{ bogus: 1 }, /unknown option bogus/],
    [{ file: '' }, /file must be a non-empty path/],
    [{ file: 5 }, /file must be a non-empty path/],
    [{ minLength: '-1' }, /minLength must be a whole number of bytes, got "-1"/],
    [{ minLength: '0x10' }, /minLength must be a whole number/],
    [{ minLength: 1.5 }, /minLength must be between 0 and 16777216/],
    [{ minLength: 20000000 }, /minLength must be between 0 and 16777216/],
    [{ maxLength: 100 }, /maxLength must be between 5232 and 1073741824/],
    [{ sync: 'yes' }, /sync must be on, off, true or false, got "yes"/],
    [{ enabled: 1 }, /enabled must be on, off, true or false/],
    [{ periodicFlushMs: 'soon' }, /periodicFlushMs must be a whole number of milliseconds/],
  ])('refuses %j', (options, message) => {
    expect(optionsError(options)).toMatch(message);
  });
});

describe('the SinkModule', () => {
  it('is what the core loader accepts by name, with file as its positional option', async () => {
    const module = await loadSinkModule('simple', { importer: async () => ({ default: simpleBackend }) });
    expect(module).toMatchObject({ apiVersion: 1, name: 'simple', positionalOption: 'file' });
    expect(module.description).not.toMatch(/\n/);
    const spec = parseBackendSpec(`simple:${join(dir, 'cli.bin')}`);
    const sink = module.create(backendOptions(module, spec.arg), env);
    await sink.close();
    expect(readFileSync(join(dir, 'cli.bin')).length).toBe(24);
  });

  it('validates options before opening anything', () => {
    const file = join(dir, 'never.bin');
    expect(() => simpleBackend.create({ file, sync: 'maybe' }, env)).toThrow(expect.objectContaining({ code: 'E_SINK_OPTIONS' }));
    expect(() => readFileSync(file)).toThrow();
  });
});
