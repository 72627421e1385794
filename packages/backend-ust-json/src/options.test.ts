// Option checking and defaults.
import { describe, expect, it } from 'vitest';
import { isTraceError } from '@unitrace/core';
import { DEFAULT_MAX_LENGTH, DEFAULT_MIN_LENGTH, resolveUstJsonOptions } from './options.js';

function refusal(options: Record<string, unknown>): string {
  try {
    resolveUstJsonOptions(options, 1);
  } catch (err) {
    expect(isTraceError(err, 'E_SINK_OPTIONS'), String(err)).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveUstJsonOptions', () => {
  it('defaults: trace-<pid>.json, json, unitrace, asynchronous, 64 KiB / 4 MiB', () => {
    expect(resolveUstJsonOptions({}, 77)).toEqual({
      file: 'trace-77.json',
      encoding: 'json',
      procname: 'unitrace',
      sync: false,
      minLength: 64 * 1024,
      maxLength: 4 * 1024 * 1024,
    });
    expect(DEFAULT_MIN_LENGTH).toBe(65536);
    expect(DEFAULT_MAX_LENGTH).toBe(4194304);
  });

  it('msgpack by option names the default file .msgpack; a .msgpack file name chooses msgpack', () => {
    expect(resolveUstJsonOptions({ encoding: 'msgpack' }, 5).file).toBe('trace-5.msgpack');
    expect(resolveUstJsonOptions({ file: 'out/t.msgpack' }, 5).encoding).toBe('msgpack');
    expect(resolveUstJsonOptions({ file: 'out/t.msgpack', encoding: 'json' }, 5).encoding).toBe('json');
  });

  it('stdout and stderr default to synchronous writes of every batch', () => {
    for (const file of ['stdout', 'stderr']) {
      expect(resolveUstJsonOptions({ file }, 1)).toMatchObject({ file, sync: true, minLength: 0 });
    }
    expect(resolveUstJsonOptions({ file: 'stdout', sync: 'false', minLength: '1k' }, 1)).toMatchObject({ sync: false, minLength: 1024 });
  });

  it('takes command-line strings: booleans and byte counts with k and m suffixes', () => {
    expect(resolveUstJsonOptions({ sync: 'yes', minLength: '16k', maxLength: '2MiB', procname: 'qemu' }, 1)).toMatchObject({
      sync: true,
      minLength: 16384,
      maxLength: 2 * 1024 * 1024,
      procname: 'qemu',
    });
    expect(resolveUstJsonOptions({ sync: '0', maxLength: 100, minLength: 0 }, 1)).toMatchObject({ sync: false, maxLength: 100, minLength: 0 });
  });

  it('a small maxLength lowers the default minLength with it', () => {
    expect(resolveUstJsonOptions({ maxLength: '1000' }, 1).minLength).toBe(1000);
  });

  it('refuses what it does not understand, naming it', () => {
    expect(refusal({ path: 'x' })).toMatch(/unknown option "path"/);
    expect(refusal({ encoding: 'yaml' })).toMatch(/encoding must be json or msgpack/);
    expect(refusal({ file: '' })).toMatch(/file must not be empty/);
    expect(refusal({ file: 3 })).toMatch(/file must be a string/);
    expect(refusal({ sync: 'maybe' })).toMatch(/sync must be true or false/);
    expect(refusal({ minLength: '-1' })).toMatch(/minLength must be a byte count/);
    expect(refusal({ maxLength: '4g' })).toMatch(/maxLength must be a byte count/);
    expect(refusal({ maxLength: 1.5 })).toMatch(/maxLength must be a byte count/);
    expect(refusal({ maxLength: 0 })).toMatch(/at least 1/);
    expect(refusal({ minLength: '2k', maxLength: '1k' })).toMatch(/minLength \(2048\) must not exceed maxLength \(1024\)/);
    expect(refusal({ procname: '' })).toMatch(/procname/);
  });
});
