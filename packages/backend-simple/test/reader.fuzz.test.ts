// Fuzz: the streaming reader on mutated and truncated v4 files (one written by this backend, the spec §5.4 vector).
// Every record that lies wholly before the first damaged byte comes out as in the undamaged file; then the read
// either ends or fails with exactly one E_TRACE_FILE error naming a byte offset; no case hangs; length fields that
// claim gigabytes allocate nothing.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracer, isTraceError, type EventDecl, type TraceError } from '@unitrace/core';
import { Tally, fuzzParameters, withinMs } from '@unitrace/core/testing';
import { createSimpleSink } from '../src/index.js';
import { openSimpleTrace, type SimpleTraceRecord } from '../src/reader.js';
import { registryOf, tempDir, testEnv } from './support.js';

const PKG = '@unitrace/backend-simple';
const tmp = tempDir('unitrace-reader-fuzz-');
afterAll(() => tmp.cleanup());
let serial = 0;

const HOST = `fz_void(void) ""
fz_word(uint64_t v, int32_t s) "v %" PRIu64 " s %d"
fz_str(const char *a, uint16_t n, const char *b) "a %s n %u b %s"
`;
const GUEST = 'fz_guest(uint32_t x, const char *tag) "x %u %s"\n';
const registry = registryOf(HOST, { fzguest: GUEST });
const EVENTS: readonly EventDecl[] = registry.sources.flatMap((s) => s.events);

/** One record span of a v4 file, found by walking its layout (spec §5.2) independently of the reader. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly mapping: boolean;
}

/** Walks a well-formed v4 file: type word 0 is a mapping (20 + name bytes), anything else an event (8 + length). */
function spans(bytes: Uint8Array): Span[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Span[] = [];
  let at = 24;
  while (at < bytes.length) {
    const mapping = v.getBigUint64(at, true) === 0n;
    const end = mapping ? at + 20 + v.getUint32(at + 16, true) : at + 8 + v.getUint32(at + 24, true);
    out.push({ start: at, end, mapping });
    at = end;
  }
  expect(at).toBe(bytes.length);
  return out;
}

interface Source {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly events: readonly EventDecl[] | undefined;
  readonly spans: Span[];
  readonly records: SimpleTraceRecord[];
}

async function readAll(file: string, events: readonly EventDecl[] | undefined, chunkBytes?: number): Promise<{ records: SimpleTraceRecord[]; errors: unknown[]; peak: number }> {
  const records: SimpleTraceRecord[] = [];
  const errors: unknown[] = [];
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  try {
    const trace = await openSimpleTrace(file, { events, chunkBytes });
    const it = trace.records()[Symbol.asyncIterator]();
    try {
      for (;;) {
        const r = await it.next();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
        if (r.done) break;
        records.push(r.value);
      }
    } catch (err) {
      errors.push(err);
      // After the error the iterator is finished: no second error, no more records.
      const again = await it.next().catch((e: unknown) => (errors.push(e), undefined));
      if (again && !again.done) records.push(again.value);
    }
  } catch (err) {
    errors.push(err);
  }
  return { records, errors, peak };
}

function save(bytes: Uint8Array): string {
  const file = tmp.file(`fuzz-${serial++}.bin`);
  writeFileSync(file, bytes);
  return file;
}

/** A trace written by the simple backend: host and guest events, strings up to 300 bytes, dropped records. */
async function writtenByBackend(): Promise<Uint8Array> {
  const file = tmp.file('written.bin');
  const env = testEnv();
  const tracer = createTracer({ registry, clock: env.clock, pid: 4242, exitFlush: false });
  registry.enable('*');
  tracer.addSink(createSimpleSink({ file, sync: true, minLength: 0 }, env));
  const idx = (n: string): number => registry.lookup(n)!.index;
  for (let i = 0; i < 40; i++) {
    env.clock.advance(1000 + i);
    tracer.emit(idx('fz_word'), [BigInt(i) * 0x1_0000_0001n, -i]);
    tracer.emit(idx('fz_str'), ['x'.repeat(i * 7), i, i % 3 === 0 ? null : 'tail']);
    if (i % 5 === 0) tracer.emit(idx('fz_void'), []);
    if (i % 4 === 0) {
      const at = tracer.beginAt(idx('fz_guest'), 8 + 4 + 3, env.clock.nowNs(), i * 10);
      tracer.writer.view.setBigUint64(at, BigInt(i), true);
      tracer.writer.view.setUint32(at + 8, 3, true);
      tracer.writer.bytes.set([0x67, 0x75, 0x65], at + 12);
    }
    if (i % 13 === 7) tracer.dropped(i + 1);
  }
  await tracer.close();
  expect(env.errors).toEqual([]);
  return new Uint8Array(readFileSync(file));
}

let sources: Source[] = [];

beforeAll(async () => {
  const golden = new Uint8Array(readFileSync(fileURLToPath(new URL('./golden/spec-5.4.bin', import.meta.url))));
  const written = await writtenByBackend();
  const make = async (name: string, bytes: Uint8Array, events: readonly EventDecl[] | undefined): Promise<Source> => {
    const { records, errors } = await readAll(save(bytes), events);
    expect(errors).toEqual([]);
    return { name, bytes, events, spans: spans(bytes), records };
  };
  sources = [
    await make('spec-5.4', golden, undefined),
    await make('backend', written, EVENTS),
    await make('backend-raw', written, undefined),
  ];
  expect(sources[1]!.records.filter((r) => r.kind === 'dropped').length).toBeGreaterThan(0);
});

type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'u32'; at: number; value: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  // A u32 written over a field: lengths that claim gigabytes, zero, off by one.
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(0, 1, 23, 24, 25, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 5185, 4097), fc.nat()),
  }),
);

function apply(bytes: Uint8Array, d: Damage): Uint8Array {
  const n = bytes.length;
  if (n < 4 && d.kind !== 'insert') return bytes; // an earlier cut left nothing to damage
  switch (d.kind) {
    case 'truncate':
      return bytes.slice(0, d.at % n);
    case 'flip': {
      const out = bytes.slice();
      out[d.at % n] = d.byte;
      return out;
    }
    case 'insert': {
      const i = d.at % (n + 1);
      return Uint8Array.from([...bytes.subarray(0, i), ...d.bytes, ...bytes.subarray(i)]);
    }
    case 'delete': {
      const i = d.at % n;
      return Uint8Array.from([...bytes.subarray(0, i), ...bytes.subarray(i + d.length)]);
    }
    case 'u32': {
      const out = bytes.slice();
      const i = d.at % (n - 3);
      new DataView(out.buffer).setUint32(i, d.value >>> 0, true);
      return out;
    }
  }
}

/** First index where `a` and `b` differ; the shorter length when one is a prefix of the other; -1 when equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Offsets of the u32 length of every string argument of a decoded record (payload at offset + 32). */
function stringLengthFields(r: SimpleTraceRecord): number[] {
  if (r.kind !== 'event' || !r.decl || !r.args) return [];
  const out: number[] = [];
  let at = r.offset + 32;
  r.decl.args.forEach((a, i) => {
    if (a.type.kind === 'string') {
      out.push(at);
      at += 4 + (r.args![i] as Uint8Array).length;
    } else at += 8;
  });
  return out;
}

const sameRecord = (r: SimpleTraceRecord): unknown => ({ ...r, decl: r.decl?.name });

describe('openSimpleTrace on damaged files', () => {
  it('yields every record before the damage unchanged, then at most one E_TRACE_FILE with a byte offset', async () => {
    const tally = new Tally(PKG, 'simpletrace reader: mutated and truncated files', { caseUnit: 'damaged trace file', itemUnit: 'records' });
    const params = fuzzParameters(250);
    tally.seed = params.seed;
    let worstPeak = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 2 }), fc.array(damage, { minLength: 1, maxLength: 3 }), fc.boolean(), async (which, damages, small) => {
        const src = sources[which]!;
        let bytes = src.bytes;
        for (const d of damages) bytes = apply(bytes, d);
        const first = firstDifference(src.bytes, bytes);
        const file = save(bytes);
        const { records, errors, peak } = await withinMs(5000, `reading ${file}`, () => readAll(file, src.events, small ? 16 * 1024 : undefined));
        rmSync(file);
        worstPeak = Math.max(worstPeak, peak);
        tally.cases++;

        // Records wholly before the first damaged byte: exactly the undamaged file's first records.
        const intact = first < 0 ? src.spans.length : src.spans.filter((s) => s.end <= first).length;
        const intactRecords = src.spans.slice(0, intact).filter((s) => !s.mapping).length;
        expect(records.slice(0, intactRecords).map(sameRecord)).toEqual(src.records.slice(0, intactRecords).map(sameRecord));
        expect(errors.length).toBeLessThanOrEqual(1);
        if (first < 0) expect(errors).toEqual([]);
        if (errors.length === 0) {
          tally.accepted += records.length;
          return;
        }
        const err = errors[0];
        if (!isTraceError(err, 'E_TRACE_FILE')) throw err;
        const offset = (err as TraceError).location?.offset;
        expect((err as TraceError).location?.file).toBe(file);
        expect(Number.isInteger(offset)).toBe(true);
        expect(String(err)).toContain(`byte ${offset}`);
        // The error is at the damaged record or after it, never inside the intact prefix, never past the end.
        const damagedStart = first < 24 ? 0 : (src.spans.find((s) => s.end > first)?.start ?? src.bytes.length);
        expect(offset!).toBeGreaterThanOrEqual(damagedStart);
        expect(offset!).toBeLessThanOrEqual(bytes.length);
        expect(records.length).toBeGreaterThanOrEqual(intactRecords);
        if (damages.length === 1 && damages[0]!.kind === 'truncate' && first >= 24) {
          // A cut file fails exactly at the record the cut goes through.
          expect(offset).toBe(damagedStart);
          expect(records.length).toBe(intactRecords);
        }
        tally.accepted += records.length;
        tally.rejected++;
        // What the damage destroyed: the undamaged file's records after the intact prefix that did not come out.
        tally.lost += Math.max(0, src.records.length - records.length);
      }),
      params,
    );
    tally.note = `worst buffer growth while reading ${(worstPeak / 2 ** 20).toFixed(2)} MiB`;
    tally.report();
    expect(tally.rejected).toBeGreaterThan(0);
    expect(worstPeak).toBeLessThan(8 * 2 ** 20);
  }, 120_000);

  it('length fields claiming gigabytes allocate nothing: the buffer stays at its size while every claim is refused', async () => {
    const tally = new Tally(PKG, 'simpletrace reader: gigabyte length fields', { caseUnit: 'file with a huge length field', itemUnit: 'records' });
    const params = fuzzParameters(100);
    tally.seed = params.seed;
    const src = sources[1]!;
    // Every length field of the file: mapping name lengths, record lengths, and the u32 length of each string.
    const fields = [
      ...src.spans.map((s) => (s.mapping ? s.start + 16 : s.start + 24)),
      ...src.records.flatMap((r) => stringLengthFields(r)),
    ];
    let worstPeak = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: fields.length - 1 }), fc.integer({ min: 0x1000_0000, max: 0xffff_ffff }), async (f, claim) => {
        const bytes = src.bytes.slice();
        new DataView(bytes.buffer).setUint32(fields[f]!, claim, true);
        const file = save(bytes);
        const { records, errors, peak } = await withinMs(5000, 'a huge length field', () => readAll(file, src.events));
        rmSync(file);
        worstPeak = Math.max(worstPeak, peak);
        tally.cases++;
        tally.accepted += records.length;
        // A string length inside a payload may be read only as far as the record's own length field lets it.
        expect(errors.length).toBe(1);
        expect(isTraceError(errors[0], 'E_TRACE_FILE')).toBe(true);
        tally.rejected++;
        tally.lost += src.records.length - records.length;
      }),
      params,
    );
    tally.note = `worst buffer growth while reading ${(worstPeak / 2 ** 20).toFixed(2)} MiB (read buffer 1 MiB)`;
    tally.report();
    expect(worstPeak).toBeLessThan(4 * 2 ** 20);
  }, 120_000);
});
