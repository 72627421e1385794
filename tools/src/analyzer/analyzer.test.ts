// The analyzer API on the spec §5.4 vector: dispatch by name, simpletrace's keyword quirks, begin/end, run().
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CORPUS, tempDir } from '../../test/support/trace-files.js';
import { Analyzer, type AnalyzerArgs, type AnalyzerEventInfo } from './analyzer.js';
import { process } from './process.js';
import { run } from './run.js';

const NVRAM = join(CORPUS, 'hw', 'nvram', 'trace-events');
const VECTOR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'spec-5.4.simpletrace');
const tmp = tempDir('unitrace-analyzer-');
afterAll(() => tmp.cleanup());

class Recorder extends Analyzer {
  readonly calls: string[] = [];
  override begin(): void {
    this.calls.push('begin');
  }
  override end(): void {
    this.calls.push('end');
  }
  fw_cfg_select(args: AnalyzerArgs, info: AnalyzerEventInfo): void {
    this.calls.push(`select ${String(args.key_name)} ret=${String(args.ret)} s=${String(args.s)} id=${info.eventId}/${info.id} t=${info.timestampNs} pid=${info.pid}`);
  }
  Dropped_Event(args: AnalyzerArgs, info: AnalyzerEventInfo): void {
    this.calls.push(`dropped ${String(args.num_events_dropped)} id=${info.eventId}/0x${info.id.toString(16)} ${info.event.name}`);
  }
  override catchall(args: AnalyzerArgs, info: AnalyzerEventInfo): void {
    this.calls.push(`catchall ${info.event.name} ${JSON.stringify(Object.keys(args))} raw=${info.raw.length}`);
  }
}

describe('process', () => {
  it("calls the handler named after each event, catchall otherwise, with simpletrace's keyword values", async () => {
    const a = new Recorder();
    await process(a, NVRAM, VECTOR);
    expect(a.calls).toEqual([
      'begin',
      // key_name is text, ret an int, s (void *) a bigint; eventId is the NAME (simpletrace's quirk), id the number.
      `select signature ret=1 s=${0x55d925bd9490n} id=fw_cfg_select/7 t=1000000 pid=4242`,
      'catchall fw_cfg_read ["s","ret"] raw=2',
      'dropped 3 id=dropped/0xfffffffffffffffe Dropped_Event',
      'end',
    ]);
  });

  it('does not call end() when the file is corrupt, after handling every record before the fault', async () => {
    const cut = tmp.path('cut');
    const bytes = readFileSync(VECTOR);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    const a = new Recorder();
    await expect(process(a, NVRAM, cut)).rejects.toThrow(/truncated/);
    expect(a.calls[0]).toBe('begin');
    expect(a.calls).toHaveLength(3);
    expect(a.calls).not.toContain('end');
  });

  it('sends events named like members of Analyzer or Object to catchall', async () => {
    writeFileSync(tmp.path('odd-names'), readFileSync(NVRAM, 'latin1').replace('fw_cfg_read(', 'toString(').replace('fw_cfg_select(', 'end('));
    // The vector maps ids 7 and 8 to fw_cfg_select and fw_cfg_read: map them to the odd names instead.
    const src = readFileSync(VECTOR);
    const renamed = Buffer.concat([
      src.subarray(0, 0x18),
      mapping(7n, 'end'),
      mapping(8n, 'toString'),
      src.subarray(0x58),
    ]);
    writeFileSync(tmp.path('odd.bin'), renamed);
    const a = new Recorder();
    await process(a, tmp.path('odd-names'), tmp.path('odd.bin'));
    expect(a.calls.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['begin', 'catchall end', 'catchall toString', 'dropped 3', 'end']);
  });
});

function mapping(id: bigint, name: string): Buffer {
  const b = Buffer.alloc(20 + name.length);
  b.writeBigUInt64LE(0n, 0);
  b.writeBigUInt64LE(id, 8);
  b.writeUInt32LE(name.length, 16);
  b.write(name, 20, 'latin1');
  return b;
}

describe('run', () => {
  const saved = globalThis.process.exitCode;
  afterEach(() => {
    globalThis.process.exitCode = saved;
    vi.restoreAllMocks();
  });

  it('parses [--no-header] <trace-events> <trace-file> and resolves 0', async () => {
    const a = new Recorder();
    expect(await run(a, [NVRAM, VECTOR])).toBe(0);
    expect(a.calls.at(-1)).toBe('end');
  });

  it('prints the usage line and resolves 2 for a wrong command line', async () => {
    const err = vi.spyOn(globalThis.process.stderr, 'write').mockImplementation(() => true);
    expect(await run(new Recorder(), [NVRAM])).toBe(2);
    expect(String(err.mock.calls[0][0])).toMatch(/^usage: .* \[--no-header\] <trace-events> <trace-file>\n$/);
  });

  it('prints one line and resolves 1 for a trace error', async () => {
    const err = vi.spyOn(globalThis.process.stderr, 'write').mockImplementation(() => true);
    expect(await run(new Recorder(), [NVRAM, NVRAM])).toBe(1);
    expect(err.mock.calls).toHaveLength(1);
    expect(String(err.mock.calls[0][0])).toMatch(/: byte 0: Not a valid trace file.*\n$/);
  });
});
