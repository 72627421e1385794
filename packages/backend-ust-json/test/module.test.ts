// The default export as the CLI loads it: validated by core's loader, options from `ust-json:ARG`.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { backendOptions, isTraceError, validateSinkModule } from '@unitrace/core';
import ustJson, { createUstJsonSink, ustJsonSinkModule } from '../src/index.js';
import { HOST, RECORDS, batchOf } from './support/corpus.js';
import { tempDir, testEnv } from './support/env.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('the ust-json SinkModule', () => {
  it('is the default export and passes core validation', () => {
    expect(ustJson).toBe(ustJsonSinkModule);
    expect(() => validateSinkModule(ustJson, 'ust-json')).not.toThrow();
    expect(ustJson).toMatchObject({ apiVersion: 1, name: 'ust-json', positionalOption: 'file' });
    expect(ustJson.description).not.toMatch(/\n/);
  });

  it('ust-json:FILE.msgpack writes MessagePack to FILE', async () => {
    const file = tmp.path('cli.msgpack');
    const sink = ustJson.create(backendOptions(ustJson, file), testEnv());
    sink.describe(HOST);
    sink.write(batchOf(RECORDS.slice(0, 1)));
    await sink.close();
    expect(readFileSync(file)[0]).toBe(0x88); // a map of 8 keys: MessagePack, not '{'
  });

  it('key=value options from the command line are checked before anything is opened', () => {
    const file = tmp.path('never.json');
    let err: unknown;
    try {
      ustJson.create(backendOptions(ustJson, `file=${file},encoding=xml`), testEnv());
    } catch (e) {
      err = e;
    }
    expect(isTraceError(err, 'E_SINK_OPTIONS')).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('a file that cannot be opened is E_IO at creation', () => {
    let err: unknown;
    try {
      createUstJsonSink({ file: tmp.path('no/such/dir/t.json') }, testEnv());
    } catch (e) {
      err = e;
    }
    expect(isTraceError(err, 'E_IO'), String(err)).toBe(true);
  });

  it('procname appears in every record', async () => {
    const file = tmp.path('procname.json');
    const sink = createUstJsonSink({ file, procname: 'qemu-system-x86_64' }, testEnv());
    sink.describe(HOST);
    sink.write(batchOf(RECORDS.slice(0, 2)));
    await sink.close();
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) expect(JSON.parse(line).procname).toBe('qemu-system-x86_64');
  });
});
