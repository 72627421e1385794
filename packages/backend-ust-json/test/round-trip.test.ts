// The corpus and random values through both encodings and back through readUstJson; msgpackr as a second decoder.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Unpackr } from 'msgpackr';
import type { SourceInfo } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { createUstJsonSink } from '../src/index.js';
import { readUstJson, type UstRecord } from '../src/reader.js';
import { batchOf, GUEST, HOST, writeCorpus, type CorpusRecord } from './support/corpus.js';
import { lines, tempDir, testEnv } from './support/env.js';
import { decl, source } from './support/sources.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

async function readAll(path: string, encoding?: 'json' | 'msgpack'): Promise<UstRecord[]> {
  const out: UstRecord[] = [];
  for await (const r of readUstJson(path, { encoding })) out.push(r);
  return out;
}

async function corpusFile(encoding: 'json' | 'msgpack'): Promise<string> {
  const file = tmp.path(`corpus-${encoding}.${encoding}`);
  const env = testEnv();
  await writeCorpus(createUstJsonSink({ file }, env));
  expect(env.errors).toEqual([]);
  return file;
}

// Which values of the golden lines are integers beyond ±(2^53 − 1), by hand: they must come back as bigint.
function expectedRecords(jsonLines: readonly string[]): unknown[] {
  const recs = jsonLines.map((l) => JSON.parse(l));
  recs[2].fields.g = -(2n ** 63n);
  recs[2].fields.h = 2n ** 64n - 1n;
  recs[3].fields.h = 2n ** 64n - 1n;
  recs[4].fields.b = -(2n ** 53n);
  recs[4].fields.d = 2n ** 53n;
  recs[5].fields.ul = 2n ** 64n - 1n;
  recs[5].fields.lui = 12345678901234567890n;
  recs[6].fields.sz = 2n ** 53n + 1n;
  recs[9].fields_raw = { a: Uint8Array.of(0x66, 0xff, 0x6f), b: Uint8Array.of(0xe2, 0x82) };
  recs[10].id = 2n ** 63n;
  recs[11].id = 2n ** 63n + 1n;
  recs[11].fields.v = 2n ** 63n;
  recs[13].timestamp = 2n ** 54n;
  return recs;
}

describe('round trip of the corpus', async () => {
  const jsonFile = await corpusFile('json');
  const msgpackFile = await corpusFile('msgpack');
  const want = expectedRecords(lines(jsonFile));

  it('JSON lines read back with exact integers (bigint beyond 2^53 - 1) and raw bytes', async () => {
    expect(await readAll(jsonFile)).toEqual(want);
  });

  it('MessagePack reads back to the same records', async () => {
    expect(await readAll(msgpackFile)).toEqual(want);
  });

  it('MessagePack as msgpackr alone decodes it: maps in the same key order, 64-bit integers as integers, bin for raw bytes', () => {
    const values = new Unpackr({ useRecords: false, int64AsType: 'bigint' }).unpackMultiple(readFileSync(msgpackFile)) as Array<Record<string, unknown>>;
    const jsonRecs = lines(jsonFile).map((l) => JSON.parse(l));
    expect(values.length).toBe(jsonRecs.length);
    values.forEach((v, i) => expect(Object.keys(v), `record ${i}`).toEqual(Object.keys(jsonRecs[i])));
    const fields = (i: number): Record<string, unknown> => values[i].fields as Record<string, unknown>;
    expect(fields(2).h).toBe(2n ** 64n - 1n);
    expect(fields(2).g).toBe(-(2n ** 63n));
    expect(fields(6).ull).toBe(2n ** 40n); // between 2^32 and 2^53: uint64 on the wire, bigint in msgpackr's default mode
    expect(fields(7).small).toBe('0xdeadbeef');
    expect(values[10].id).toBe(2n ** 63n);
    expect(values[13].timestamp).toBe(2n ** 54n);
    expect(new Uint8Array((values[9].fields_raw as Record<string, Uint8Array>).a)).toEqual(Uint8Array.of(0x66, 0xff, 0x6f));
    expect(values[12]).toEqual({ name: 'unitrace:dropped', timestamp: 1018000, origin: 'host', fields: { count: 7 } });
  });

  it('the reader detects the encoding from the first byte when the extension says nothing', async () => {
    const renamed = tmp.path('corpus-copy.trace');
    const { copyFileSync } = await import('node:fs');
    copyFileSync(msgpackFile, renamed);
    expect(await readAll(renamed)).toEqual(want);
    copyFileSync(jsonFile, renamed);
    expect(await readAll(renamed)).toEqual(want);
  });
});

describe('a field named __proto__', () => {
  const SRC: SourceInfo = source('host', 'host', 0n, 0, 0, [decl('odd_names', [['int', '__proto__'], ['int', 'constructor'], ['const char *', 'toString']])]);
  for (const encoding of ['json', 'msgpack'] as const) {
    it(`comes back as an own property in ${encoding} (msgpackr alone would rename it __proto_)`, async () => {
      const file = tmp.path(`proto.${encoding}`);
      const sink = createUstJsonSink({ file }, testEnv());
      sink.describe(SRC);
      sink.write(batchOf([{ source: SRC, event: 'odd_names', values: [5, 6, 'x'], timeNs: 1, pid: 1, guestClock: -1 }]));
      await sink.close();
      const [rec] = await readAll(file);
      const fields = rec.fields as Record<string, unknown>;
      expect(Object.keys(fields)).toEqual(['__proto__', 'constructor', 'toString']);
      expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe(5);
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(fields.constructor).toBe(6);
    });
  }
});

describe('random values of every integer type', () => {
  // Random u64 words stored as the argument words: the sink must type them exactly as core's InMemorySink does.
  function* randomRecords(count: number): Generator<CorpusRecord> {
    let x = 0x243f6a8885a308d3n;
    const next = (): bigint => {
      x ^= (x << 13n) & 0xffff_ffff_ffff_ffffn;
      x ^= x >> 7n;
      x ^= (x << 17n) & 0xffff_ffff_ffff_ffffn;
      return x >> (x & 63n);
    };
    const events = ['host_ints', 'host_big', 'host_c_words', 'host_sizes', 'host_pointers'];
    for (let i = 0; i < count; i++) {
      const event = events[i % events.length];
      const args = HOST.events.find((e) => e.name === event)!.args;
      yield { source: HOST, event, values: args.map(() => next()), timeNs: i * 997, pid: 7, guestClock: -1 };
    }
    yield { source: GUEST, event: 'fw_value', values: [next()], timeNs: 2 ** 53 + 2, pid: 7, guestClock: 2 ** 60 };
  }

  for (const encoding of ['json', 'msgpack'] as const) {
    it(`read back equal to InMemorySink's typed values (${encoding})`, async () => {
      const file = tmp.path(`random.${encoding}`);
      const sink = createUstJsonSink({ file }, testEnv());
      const memory = new InMemorySink();
      const batch = batchOf([...randomRecords(1000)]);
      for (const s of [sink, memory]) {
        s.describe(HOST);
        s.describe(GUEST);
        s.write(batch);
      }
      await sink.close();
      const back = await readAll(file);
      expect(back.length).toBe(memory.records.length);
      back.forEach((rec, i) => {
        const ref = memory.records[i];
        if (!('id' in rec)) throw new Error('unexpected dropped record');
        expect(BigInt(rec.timestamp)).toBe(BigInt(ref.timestampNs));
        expect(BigInt(rec.id)).toBe(ref.id);
        const decl = [...HOST.events, ...GUEST.events].find((e) => e.name === ref.name)!;
        for (const a of decl.args) {
          const got = rec.fields[a.name];
          const exp = ref.args[a.name];
          if (a.type.kind === 'pointer') expect(got).toBe(`0x${(exp as bigint).toString(16)}`);
          else if (typeof exp === 'bigint') {
            expect(typeof got === 'bigint' ? got : BigInt(got as number)).toBe(exp);
            expect(typeof got === 'number', `${a.name}=${exp} as number`).toBe(exp >= -(2n ** 53n - 1n) && exp <= 2n ** 53n - 1n);
          } else expect(got).toBe(exp);
        }
      });
      const last = back[back.length - 1] as { guest_clock?: unknown; timestamp: unknown };
      expect(last.guest_clock).toBe(2n ** 60n);
      expect(last.timestamp).toBe(2n ** 53n + 2n);
    });
  }
});
