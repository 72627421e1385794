// Spec §5.2's 245-byte simpletrace vector through the sink, with hw/nvram's real formats: golden lines, checked
// against gcc's printf of the same values (spec §6: the log backend prints `"<name> " <fmt> "\n"`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createManualClock, createRegistry, loadCatalog, type RecordBatch, type Registry } from '@unitrace/core';
import { createStderrSink } from '../src/index.js';
import { gccLogLines, HAVE_GCC } from './support/gcc.js';
import { createStreamDouble } from './support/stream-double.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Spec §5.2, verbatim: header, two mappings (ids 7 and 8), fw_cfg_select, fw_cfg_read, and a dropped record of 3.
const VECTOR = Buffer.from(
  `ff ff ff ff ff ff ff ff b4 29 a4 0a cb 77 b1 f2 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
   07 00 00 00 00 00 00 00 0d 00 00 00 66 77 5f 63 66 67 5f 73 65 6c 65 63 74 00 00 00 00 00 00 00
   00 08 00 00 00 00 00 00 00 0b 00 00 00 66 77 5f 63 66 67 5f 72 65 61 64 01 00 00 00 00 00 00 00
   07 00 00 00 00 00 00 00 40 42 0f 00 00 00 00 00 3d 00 00 00 92 10 00 00 90 94 bd 25 d9 55 00 00
   00 00 00 00 00 00 00 00 09 00 00 00 73 69 67 6e 61 74 75 72 65 01 00 00 00 00 00 00 00 01 00 00
   00 00 00 00 00 08 00 00 00 00 00 00 00 1c 48 0f 00 00 00 00 00 28 00 00 00 92 10 00 00 90 94 bd
   25 d9 55 00 00 55 4d 45 51 00 00 00 00 01 00 00 00 00 00 00 00 fe ff ff ff ff ff ff ff 10 4a 0f
   00 00 00 00 00 20 00 00 00 92 10 00 00 03 00 00 00 00 00 00 00`.replace(/\s+/g, ''),
  'hex',
);
const SELECT_AT = 0x58;
const READ_AT = 0x9d;
const DROPPED_AT = 0xcd;

function vectorBatch(registry: Registry): RecordBatch {
  const bytes = new Uint8Array(VECTOR);
  return {
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    byteLength: DROPPED_AT,
    count: 2,
    offsets: Uint32Array.of(SELECT_AT, READ_AT),
    events: Uint32Array.of(registry.lookup('fw_cfg_select')!.index, registry.lookup('fw_cfg_read')!.index),
    guestClock: undefined,
  };
}

function render(timestamp: 'none' | 'tid' | 'iso', epochOffsetUs: number): string {
  const registry = createRegistry(loadCatalog(here('./fixtures/hw-nvram.trace-events')));
  const stream = createStreamDouble();
  const sink = createStderrSink({ stream, timestamp, epochOffsetUs }, { onError: (e) => { throw e; }, pid: 4242, clock: createManualClock(0) });
  for (const s of registry.sources) sink.describe(s);
  sink.write(vectorBatch(registry));
  const view = new DataView(VECTOR.buffer, VECTOR.byteOffset, VECTOR.byteLength);
  sink.dropped(Number(view.getBigUint64(DROPPED_AT + 32, true)), Number(view.getBigUint64(DROPPED_AT + 16, true)));
  return stream.text();
}

const golden = (name: string): string => readFileSync(here(`./golden/${name}`), 'latin1');

describe('spec §5.2 vector with hw/nvram formats', () => {
  it('the vector is the spec one: 245 bytes, record lengths 61, 40 and 32', () => {
    expect(VECTOR.length).toBe(245);
    expect([SELECT_AT, READ_AT, DROPPED_AT].map((o) => VECTOR.readUInt32LE(o + 24))).toEqual([61, 40, 32]);
  });

  it('prints the golden lines: QEMU log lines, then the marked dropped notice', () => {
    expect(render('none', 0)).toBe(golden('nvram-vector.txt'));
  });

  it('prints tid@sec.usec: prefixes from a fixed clock offset', () => {
    // 1 000 000 ns → 1000 µs after the offset; 1 001 500 ns → 1001 µs (truncated, as gettimeofday would); 1 002 000 → 1002.
    expect(render('tid', 1608130130440188)).toBe(golden('nvram-vector-tid.txt'));
  });

  it('prints ISO-8601 UTC prefixes from a fixed clock offset (spec §6 example time)', () => {
    expect(render('iso', Date.UTC(2025, 6, 21, 18, 43, 28) * 1000 + 88797)).toBe(golden('nvram-vector-iso.txt'));
  });

  it.skipIf(!HAVE_GCC)('the event lines equal gcc printf of the same values with the catalog formats', () => {
    const catalog = loadCatalog(here('./fixtures/hw-nvram.trace-events'));
    const decl = (name: string) => catalog.sources[0].events.find((e) => e.name === name)!;
    const s = 0x55d925bd9490n;
    const c = gccLogLines([
      { decl: decl('fw_cfg_select'), values: [s, 0n, Buffer.from('signature'), 1n] },
      { decl: decl('fw_cfg_read'), values: [s, 0x51454d55n] },
    ]);
    const lines = golden('nvram-vector.txt').split('\n');
    expect(Buffer.from(c).toString('latin1')).toBe(`${lines[0]}\n${lines[1]}\n`);
  });
});
