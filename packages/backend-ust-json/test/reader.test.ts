// readUstJson on damaged, odd and large files: records before a fault come first, then a located TraceError.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, type TraceError } from '@unitrace/core';
import { createUstJsonSink } from '../src/index.js';
import { readUstJson, type UstRecord } from '../src/reader.js';
import { batchOf, HOST, RECORDS } from './support/corpus.js';
import { tempDir, testEnv } from './support/env.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

/** Every record read before the reader threw, and what it threw. */
async function drain(path: string): Promise<{ records: UstRecord[]; error: unknown }> {
  const records: UstRecord[] = [];
  try {
    for await (const r of readUstJson(path)) records.push(r);
  } catch (error) {
    return { records, error };
  }
  return { records, error: undefined };
}

function expectTraceError(error: unknown, code: string): TraceError {
  expect(isTraceError(error, code as never), String(error)).toBe(true);
  return error as TraceError;
}

const GOOD = '{"name":"host:a","timestamp":1,"cpu_id":0,"vpid":1,"procname":"p","origin":"host","id":0,"fields":{}}';

describe('JSON lines', () => {
  it('yields the records before a bad line, then E_TRACE_FILE with its line and byte offset', async () => {
    const file = tmp.path('bad-line.json');
    writeFileSync(file, `${GOOD}\n\n${GOOD}\n{"name": oops\n${GOOD}\n`);
    const { records, error } = await drain(file);
    expect(records.length).toBe(2);
    const e = expectTraceError(error, 'E_TRACE_FILE');
    // line 4 starts after two records of GOOD.length + 1 bytes and one empty line
    expect(e.location).toEqual({ file, line: 4, offset: 2 * (GOOD.length + 1) + 1 });
    expect(e.toString()).toMatch(new RegExp(`^${file}:4: line is not JSON`));
  });

  it('reports a last line cut short by a crash', async () => {
    const file = tmp.path('cut.json');
    writeFileSync(file, `${GOOD}\n${GOOD.slice(0, 30)}`);
    const { records, error } = await drain(file);
    expect(records.length).toBe(1);
    expect(expectTraceError(error, 'E_TRACE_FILE').location).toMatchObject({ line: 2, offset: GOOD.length + 1 });
  });

  it('accepts a last line without a newline', async () => {
    const file = tmp.path('no-newline.json');
    writeFileSync(file, `${GOOD}\n${GOOD}`);
    expect((await drain(file)).records.length).toBe(2);
  });

  it('refuses records of the wrong shape, saying what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['[1]', /not an object/],
      ['{"timestamp":1,"origin":"host","fields":{}}', /no name/],
      [GOOD.replace('"timestamp":1', '"timestamp":1.5'), /timestamp is not an integer/],
      [GOOD.replace('"timestamp":1', '"timestamp":"01"'), /timestamp is not an integer/],
      [GOOD.replace('"origin":"host"', '"origin":"x"'), /origin/],
      [GOOD.replace('"fields":{}', '"fields":{"a":null}'), /field a/],
      [GOOD.replace('"fields":{}', '"fields":{},"fields_raw":{"a":"xyz"}'), /fields_raw.a/],
      ['{"name":"host:a","timestamp":1,"origin":"host","fields":{}}', /has no id/],
      [GOOD.replace('"id":0', '"id":"18446744073709551616"'), /id is not an integer/],
    ];
    for (const [line, message] of cases) {
      const file = tmp.path('shape.json');
      writeFileSync(file, `${line}\n`);
      const e = expectTraceError((await drain(file)).error, 'E_TRACE_FILE');
      expect(e.message, line).toMatch(message);
      expect(e.location?.line).toBe(1);
    }
  });

  it('refuses a line that is not UTF-8', async () => {
    const file = tmp.path('latin1.json');
    writeFileSync(file, Buffer.concat([Buffer.from(`${GOOD}\n{"name":"`), Buffer.of(0xff), Buffer.from('"}\n')]));
    const { records, error } = await drain(file);
    expect(records.length).toBe(1);
    expect(expectTraceError(error, 'E_TRACE_FILE').message).toMatch(/UTF-8/);
  });

  it('turns decimal strings into bigint only for integers beyond 2^53 - 1 (the documented rule)', async () => {
    const fields = {
      big: '9007199254740993',
      neg: '-9223372036854775808',
      max: '18446744073709551615',
      tooBig: '18446744073709551616',
      safe: '9007199254740991',
      short: '123',
      zero: '0012345678901234567',
      ptr: '0x7fff',
    };
    const file = tmp.path('numerals.json');
    writeFileSync(file, `${GOOD.replace('"fields":{}', `"fields":${JSON.stringify(fields)}`)}\n`);
    const [rec] = (await drain(file)).records;
    expect(rec.fields).toEqual({
      big: 9007199254740993n,
      neg: -(2n ** 63n),
      max: 2n ** 64n - 1n,
      tooBig: '18446744073709551616',
      safe: '9007199254740991',
      short: '123',
      zero: '0012345678901234567',
      ptr: '0x7fff',
    });
  });

  it('refuses a line longer than 8 MiB instead of buffering it', async () => {
    const file = tmp.path('long.json');
    writeFileSync(file, `${GOOD}\n${'x'.repeat(9 * 1024 * 1024)}`);
    const { records, error } = await drain(file);
    expect(records.length).toBe(1);
    expect(expectTraceError(error, 'E_TRACE_FILE').message).toMatch(/longer than/);
  });
});

describe('MessagePack', () => {
  async function corpusBytes(repeat: number): Promise<{ bytes: Buffer; sizes: number[] }> {
    const file = tmp.path(`corpus-${repeat}.msgpack`);
    const sink = createUstJsonSink({ file }, testEnv());
    sink.describe(HOST);
    const hostOnly = RECORDS.filter((r) => r.source === HOST);
    for (let i = 0; i < repeat; i++) sink.write(batchOf(hostOnly));
    await sink.close();
    // Record sizes, from encoding one record per file (no reader involved).
    const sizes: number[] = [];
    for (const r of hostOnly) {
      const one = tmp.path('one.msgpack');
      const s = createUstJsonSink({ file: one }, testEnv());
      s.describe(HOST);
      s.write(batchOf([r]));
      await s.close();
      sizes.push(readFileSync(one).length);
    }
    return { bytes: readFileSync(file), sizes };
  }

  it('reads records that straddle 64 KiB read chunks', async () => {
    const { bytes, sizes } = await corpusBytes(400);
    expect(bytes.length).toBe(400 * sizes.reduce((a, b) => a + b, 0));
    expect(bytes.length).toBeGreaterThan(3 * 64 * 1024);
    const file = tmp.path('many.msgpack');
    writeFileSync(file, bytes);
    const { records, error } = await drain(file);
    expect(error).toBeUndefined();
    expect(records.length).toBe(400 * sizes.length);
    expect(records[records.length - 1].name).toBe('host:host_bad_utf8');
  });

  it('yields the whole records of a truncated file, then E_TRACE_FILE at the start of the cut record', async () => {
    const { bytes, sizes } = await corpusBytes(1);
    const file = tmp.path('truncated.msgpack');
    const cutAt = sizes[0] + sizes[1] + sizes[2] + 5;
    writeFileSync(file, bytes.subarray(0, cutAt));
    const { records, error } = await drain(file);
    expect(records.map((r) => r.name)).toEqual(['host:fw_cfg_select', 'host:host_void', 'host:host_ints']);
    const e = expectTraceError(error, 'E_TRACE_FILE');
    expect(e.location).toEqual({ file, offset: sizes[0] + sizes[1] + sizes[2] });
    expect(e.message).toMatch(/ends inside a record/);
  });

  it('refuses a value that is not a record, at its offset', async () => {
    const { bytes, sizes } = await corpusBytes(1);
    const file = tmp.path('garbage.msgpack');
    writeFileSync(file, Buffer.concat([bytes.subarray(0, sizes[0]), Buffer.of(0x2a), bytes.subarray(sizes[0])]));
    const { records, error } = await drain(file);
    expect(records.length).toBe(1);
    expect(expectTraceError(error, 'E_TRACE_FILE').location).toEqual({ file, offset: sizes[0] });
  });
});

describe('files', () => {
  it('an empty file has no records', async () => {
    const file = tmp.path('empty.json');
    writeFileSync(file, '');
    expect(await drain(file)).toEqual({ records: [], error: undefined });
  });

  it('a missing file is E_IO', async () => {
    expectTraceError((await drain(tmp.path('missing.json'))).error, 'E_IO');
  });

  it('a file that is neither encoding is E_TRACE_FILE at byte 0', async () => {
    const file = tmp.path('other.bin');
    writeFileSync(file, Buffer.of(0xf2, 0xb1, 0x77, 0xcb));
    const e = expectTraceError((await drain(file)).error, 'E_TRACE_FILE');
    expect(e.location).toEqual({ file, offset: 0 });
  });
});
