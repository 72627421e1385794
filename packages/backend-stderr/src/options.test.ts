import { describe, expect, it } from 'vitest';
import { isTraceError } from '@unitrace/core';
import { DEFAULT_MAX_LENGTH, DEFAULT_MIN_LENGTH, resolveOptions } from './options.js';

function refused(options: Record<string, unknown>): string {
  try {
    resolveOptions(options);
  } catch (err) {
    expect(isTraceError(err, 'E_SINK_OPTIONS'), String(err)).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveOptions', () => {
  it('defaults to fd 2, no timestamp, auto colour, sync, 64 KiB chunks and a 16 MiB async bound', () => {
    expect(resolveOptions({})).toEqual({
      fd: 2,
      stream: undefined,
      file: undefined,
      timestamp: 'none',
      color: 'auto',
      sync: true,
      minLength: 64 * 1024,
      maxLength: 16 * 1024 * 1024,
      epochOffsetUs: undefined,
    });
    expect([DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH]).toEqual([65536, 16777216]);
  });

  it('takes command-line strings: numbers, K/M sizes, booleans, and QEMU on/off for timestamp', () => {
    const o = resolveOptions({ fd: '5', timestamp: 'on', color: 'never', sync: 'off', minLength: '4K', maxLength: '1M', epochOffsetUs: '-12' });
    expect(o).toMatchObject({ fd: 5, timestamp: 'iso', color: 'never', sync: false, minLength: 4096, maxLength: 1048576, epochOffsetUs: -12 });
    expect(resolveOptions({ timestamp: 'off' }).timestamp).toBe('none');
    for (const t of ['none', 'iso', 'tid', 'pid']) expect(resolveOptions({ timestamp: t }).timestamp).toBe(t);
    for (const [v, want] of [['true', true], ['yes', true], ['1', true], ['FALSE', false], ['no', false], ['0', false]] as const) {
      expect(resolveOptions({ sync: v }).sync).toBe(want);
    }
  });

  it('takes typed values from code, and a file or a stream instead of the fd', () => {
    const stream = { write: () => true };
    expect(resolveOptions({ stream, sync: false, minLength: 0 })).toMatchObject({ fd: undefined, stream, sync: false, minLength: 0 });
    expect(resolveOptions({ file: 'trace.log' })).toMatchObject({ fd: undefined, file: 'trace.log' });
  });

  it('refuses unknown keys, bad values and two destinations, naming the option', () => {
    expect(refused({ colour: 'auto' })).toMatch(/unknown option colour/);
    expect(refused({ timestamp: 'yes' })).toMatch(/timestamp must be/);
    expect(refused({ timestamp: 'constructor' })).toMatch(/timestamp must be/);
    expect(refused({ color: 'sometimes' })).toMatch(/color must be/);
    expect(refused({ sync: 'maybe' })).toMatch(/sync must be/);
    expect(refused({ fd: '-1' })).toMatch(/fd must be/);
    expect(refused({ fd: 1.5 })).toMatch(/fd must be/);
    expect(refused({ minLength: '64 KiB' })).toMatch(/minLength must be/);
    expect(refused({ maxLength: '0' })).toMatch(/maxLength must be at least 1/);
    expect(refused({ minLength: 2048, maxLength: 1024 })).toMatch(/maxLength \(1024\) must not be below minLength \(2048\)/);
    expect(refused({ file: '' })).toMatch(/file must be a path/);
    expect(refused({ stream: {} })).toMatch(/stream must have a write/);
    expect(refused({ fd: 1, file: 'x' })).toMatch(/at most one of fd, stream and file/);
    expect(refused({ epochOffsetUs: 'now' })).toMatch(/epochOffsetUs must be an integer/);
  });

  it('raises the default bound to minLength when minLength is above it', () => {
    expect(resolveOptions({ minLength: '32M' }).maxLength).toBe(32 * 1024 * 1024);
  });
});
