// The streaming reader on hand-built files: versions, mid-stream mappings, and every kind of corruption.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, parseTraceEvents, type TraceError } from '@unitrace/core';
import { openSimpleTrace, type SimpleTraceOptions, type SimpleTraceRecord } from '../src/reader.js';
import { tempDir } from './support.js';
import { PayloadBuilder, TraceBuilder } from './trace-builder.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;

const EVENTS = parseTraceEvents(
  `ev_zero(void) ""
ev_word(uint64_t v) "v %" PRIu64
ev_str(const char *s, int n) "s %s n %d"
`,
  'reader/trace-events',
).events;

function save(bytes: Uint8Array): string {
  const file = tmp.file(`trace-${serial++}.bin`);
  writeFileSync(file, bytes);
  return file;
}

/** Reads every record; returns them with the error that ended the read, if any. */
async function readAll(file: string, options?: SimpleTraceOptions): Promise<{ records: SimpleTraceRecord[]; error?: TraceError }> {
  const records: SimpleTraceRecord[] = [];
  try {
    const trace = await openSimpleTrace(file, options);
    for await (const r of trace.records()) records.push(r);
  } catch (err) {
    if (!isTraceError(err)) throw err;
    return { records, error: err };
  }
  return { records };
}

const word = (v: bigint | number): Uint8Array => new PayloadBuilder().word(v).bytes();

describe('openSimpleTrace: headers and versions', () => {
  const cases: Array<[string, Uint8Array, RegExp, number]> = [
    ['an empty file', new Uint8Array(0), /Error reading header\. Wrong filetype provided\?/, 0],
    ['a short header', new TraceBuilder().u64(-1n).u64(0xf2b177cb0aa429b4n).bytes(), /Error reading header/, 16],
    ['a wrong header id', new TraceBuilder().header(4, 0xf2b177cb0aa429b4n, 5n).bytes(), /Not a valid trace file, header id 0x5/, 0],
    ['a wrong magic', new TraceBuilder().header(4, 0x1234n).bytes(), /Not a valid trace file, header magic 0x1234/, 8],
    ['a big-endian file', new TraceBuilder().header(4, 0xb429a40acb77b1f2n).bytes(), /big-endian/, 8],
    ['version 0', new TraceBuilder().header(0).bytes(), /Log format 0 not supported/, 16],
    ['version 1', new TraceBuilder().header(1).bytes(), /Unknown version 1 of tracelog format!/, 16],
    ['version 5', new TraceBuilder().header(5).bytes(), /Unknown version 5 of tracelog format!/, 16],
    ['version 3 without an events list', new TraceBuilder().header(3).bytes(), /Log format 3 not supported without the trace events list/, 16],
  ];
  for (const [what, bytes, message, offset] of cases) {
    it(`refuses ${what} with E_TRACE_FILE at byte ${offset}`, async () => {
      const file = save(bytes);
      const err = await openSimpleTrace(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTraceError(err, 'E_TRACE_FILE')).toBe(true);
      expect((err as TraceError).message).toMatch(message);
      expect((err as TraceError).location).toEqual({ file, offset });
    });
  }

  it('refuses a missing file with E_IO', async () => {
    await expect(openSimpleTrace(tmp.file('missing.bin'))).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('reads an empty v4 trace (header only) as no records', async () => {
    expect(await readAll(save(new TraceBuilder().header().bytes()))).toEqual({ records: [] });
  });
});

describe('v4 records', () => {
  it('accepts mappings anywhere, and a later mapping of an id replaces the earlier one', async () => {
    const b = new TraceBuilder()
      .header()
      .mapping(0, 'ev_zero')
      .event(0, 10, 1)
      .mapping(1, 'ev_word')
      .event(1, 20, 1, word(42))
      .mapping(0, 'ev_word')
      .event(0, 30, 1, word(7));
    const { records, error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error).toBeUndefined();
    expect(records.map((r) => [r.name, r.id, r.timestampNs, r.args])).toEqual([
      ['ev_zero', 0n, 10n, []],
      ['ev_word', 1n, 20n, [42n]],
      ['ev_word', 0n, 30n, [7n]],
    ]);
    expect(records.map((r) => r.offset)).toEqual([b.starts[1], b.starts[3], b.starts[5]]);
  });

  it('keeps guest-range ids of 64 bits exactly', async () => {
    const id = 0x8000000100000002n;
    const b = new TraceBuilder().header().mapping(id, 'ev_word').event(id, 5, 9, word(0xffffffffffffffffn));
    const { records } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(records.map((r) => [r.id, r.args])).toEqual([[id, [0xffffffffffffffffn]]]);
  });

  it('decodes by the declared types, ignoring extra payload (as simpletrace.py)', async () => {
    const payload = new PayloadBuilder().str('abc').word(-1).word(99).bytes();
    const b = new TraceBuilder().header().mapping(2, 'ev_str').event(2, 1, 1, payload);
    const { records, error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error).toBeUndefined();
    expect(records[0].args).toEqual([new TextEncoder().encode('abc'), 0xffffffffffffffffn]);
  });

  it('stops at an id without a mapping, after the records before it', async () => {
    const b = new TraceBuilder().header().mapping(0, 'ev_zero').event(0, 1, 1).event(5, 2, 1);
    const { records, error } = await readAll(save(b.bytes()));
    expect(records.map((r) => r.name)).toEqual(['ev_zero']);
    expect(error?.message).toBe('event id 5 has no mapping record before it');
    expect(error?.location?.offset).toBe(b.starts[2]);
  });

  it("stops at a mapped name missing from the events list with simpletrace.py's message", async () => {
    const b = new TraceBuilder().header().mapping(3, 'ev_other').event(3, 1, 1);
    const { error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error?.message).toBe(
      "'ev_other' event is logged but is not declared in the trace events file, try using trace-events-all instead.",
    );
    expect(error?.location?.offset).toBe(b.starts[1]);
  });

  it('stops at a payload shorter than the declared arguments', async () => {
    const short = new PayloadBuilder().str('abc').bytes(); // ev_str also needs the int
    const b = new TraceBuilder().header().mapping(2, 'ev_str').event(2, 1, 1, short);
    const { error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error?.message).toMatch(/'ev_str' has a 7-byte payload, too short/);
    expect(error?.location?.offset).toBe(b.starts[1]);
  });

  it('stops at a string length that runs past the record', async () => {
    const bad = new TraceBuilder().u32(1000).raw([0x41, 0x42]).u64(0).bytes();
    const b = new TraceBuilder().header().mapping(2, 'ev_str').event(2, 1, 1, bad);
    const { error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error?.message).toMatch(/too short for its declared arguments/);
  });
});

describe('corrupted length fields', () => {
  const base = (): TraceBuilder => new TraceBuilder().header().mapping(1, 'ev_word').event(1, 1, 1, word(1));
  const at = (b: TraceBuilder, recordIndex: number, fieldOffset: number, value: number): string => {
    const bytes = b.bytes();
    new DataView(bytes.buffer).setUint32(b.starts[recordIndex] + fieldOffset, value, true);
    return save(bytes);
  };

  for (const [value, message] of [
    [0, /length 0, less than its 24-byte header/],
    [23, /length 23, less than/],
    [5185, /length 5185, more than the largest possible \(5184\)/],
    [0xffffffff, /length 4294967295, more than the largest possible/],
  ] as const) {
    it(`refuses an event length of ${value} without reading or allocating it`, async () => {
      const b = base();
      const { records, error } = await readAll(at(b, 1, 24, value), { events: EVENTS });
      expect(records).toEqual([]);
      expect(error?.message).toMatch(message);
      expect(error?.location?.offset).toBe(b.starts[1]);
    });
  }

  it('refuses a mapping name length of 2^31', async () => {
    const b = base();
    const { error } = await readAll(at(b, 0, 16, 0x80000000));
    expect(error?.message).toMatch(/mapping record with a 2147483648-byte name/);
    expect(error?.location?.offset).toBe(b.starts[0]);
  });

  it('refuses a dropped record too short for its count', async () => {
    const b = new TraceBuilder().header().event(0xfffffffffffffffen, 1, 1, [1, 2, 3]);
    const { error } = await readAll(save(b.bytes()));
    expect(error?.message).toMatch(/dropped record with length 27/);
  });

  it('a length one byte too long shifts the stream and is caught, with the first record still read', async () => {
    const b = base().event(1, 2, 1, word(2)).event(1, 3, 1, word(3));
    const { records, error } = await readAll(at(b, 2, 24, 33), { events: EVENTS });
    expect(records.map((r) => r.timestampNs)).toEqual([1n, 2n]);
    expect(error?.code).toBe('E_TRACE_FILE');
  });
});

describe('truncation at every byte offset of the §5.4 vector', () => {
  const golden = new Uint8Array(readFileSync(fileURLToPath(new URL('./golden/spec-5.4.bin', import.meta.url))));
  // Record boundaries from the annotated hex dump of spec §5.4: two mappings, two events, one dropped record.
  const starts = [0x18, 0x39, 0x58, 0x9d, 0xcd];
  const ends = [0x39, 0x58, 0x9d, 0xcd, 0xf5];
  const yieldedBy = (cut: number): number => ends.filter((e, i) => i >= 2 && e <= cut).length;

  it('yields every complete record, then one error naming the first incomplete one', async () => {
    for (let cut = 0; cut < golden.length; cut++) {
      const file = save(golden.subarray(0, cut));
      const { records, error } = await readAll(file);
      if (cut < 24) {
        expect(error?.message, `cut ${cut}`).toMatch(/Error reading header/);
        continue;
      }
      expect(records.length, `records before cut ${cut}`).toBe(yieldedBy(cut));
      if (cut === 24 || ends.includes(cut)) {
        expect(error, `cut ${cut} is at a record boundary`).toBeUndefined();
        continue;
      }
      const broken = starts.filter((s) => s < cut).pop()!;
      expect(error?.code, `cut ${cut}`).toBe('E_TRACE_FILE');
      expect(error?.message, `cut ${cut}`).toMatch(/^truncated (mapping )?record: the file ends \d+ bytes? into it$/);
      expect(error?.location, `cut ${cut}`).toEqual({ file, offset: broken });
    }
  });
});

describe('v2, v3 and --no-header files (ids are positions in the events list)', () => {
  it('reads version 3 records without type words, dropped records included', async () => {
    const b = new TraceBuilder().header(3).eventV3(1, 100, 7, word(5)).eventV3(0xfffffffffffffffen, 200, 7, word(4)).eventV3(0, 300, 7);
    const { records, error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error).toBeUndefined();
    expect(records.map((r) => [r.kind, r.name, r.timestampNs, r.args, r.offset])).toEqual([
      ['event', 'ev_word', 100n, [5n], 24],
      ['dropped', 'Dropped_Event', 200n, [4n], 56],
      ['event', 'ev_zero', 300n, [], 88],
    ]);
  });

  it('reads version 2 the same way', async () => {
    const b = new TraceBuilder().header(2).eventV3(2, 1, 1, new PayloadBuilder().str('x').word(3).bytes());
    const { records } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(records.map((r) => r.name)).toEqual(['ev_str']);
  });

  it('refuses a v3 id beyond the list', async () => {
    const b = new TraceBuilder().header(3).eventV3(3, 1, 1);
    const { error } = await readAll(save(b.bytes()), { events: EVENTS });
    expect(error?.message).toBe('event id 3 is not a position in the trace events list (3 events)');
  });

  it('reads a headerless file with type words, and its mappings still apply', async () => {
    const b = new TraceBuilder().event(1, 1, 1, word(8)).mapping(1, 'ev_zero').event(1, 2, 1);
    const { records, error } = await readAll(save(b.bytes()), { events: EVENTS, noHeader: true });
    expect(error).toBeUndefined();
    expect(records.map((r) => [r.name, r.offset])).toEqual([
      ['ev_word', 0],
      ['ev_zero', b.starts[2]],
    ]);
  });

  it('needs the events list for a headerless file', async () => {
    await expect(openSimpleTrace(save(new Uint8Array(0)), { noHeader: true })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});

describe('streaming', () => {
  it('reads a file much larger than its read buffer, records crossing buffer edges, with an early break', async () => {
    const b = new TraceBuilder().header().mapping(2, 'ev_str');
    const n = 5000;
    for (let i = 0; i < n; i++) b.event(2, i, 1, new PayloadBuilder().str('y'.repeat(i % 40)).word(i).bytes());
    const file = save(b.bytes());
    const trace = await openSimpleTrace(file, { events: EVENTS, chunkBytes: 16 * 1024 });
    let count = 0;
    for await (const r of trace.records()) {
      expect(r.args![1]).toBe(BigInt(count));
      expect((r.args![0] as Uint8Array).length).toBe(count % 40);
      count++;
    }
    expect(count).toBe(n);
    let early = 0;
    for await (const _ of trace.records()) if (++early === 10) break;
    expect(early).toBe(10);
  });

  it('refuses a read buffer smaller than the largest record', async () => {
    await expect(openSimpleTrace(save(new TraceBuilder().header().bytes()), { chunkBytes: 1024 })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
