// The firmware-ts output runs: SOURCE describes the source as the host hashes it, a cleared state bit stops an event
// before anything else, and each argument is stored as its C type converts it (spec §5.1).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogFromText } from '../../catalog/load-catalog.js';
import { generateFirmwareTs } from './firmware-ts.js';

const HOST = 'host_ev(void) ""\ninclude "g/trace-events" as fw\n';
const GUEST = [
  'fw_ints(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e, int32_t f, bool g, char h, int64_t i, void *j) ""',
  'fw_str(const char *s, unsigned long n) "%s %lu"',
  'disable fw_off(int x) ""',
  'fw_none(void) ""',
  '',
].join('\n');
const catalog = catalogFromText(HOST, 'mem/trace-events', { readFile: (p) => (p === resolve('mem/g/trace-events') ? GUEST : '') });
const source = catalog.sources[1];
const dir = mkdtempSync(join(tmpdir(), 'unitrace-firmware-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The SDK tracer's surface, recording calls: words as bigints, strings as text. */
class FakeTracer {
  readonly ram = new Uint8Array(64);
  readonly statePage = 8;
  readonly calls: Array<{ id: number; payload: number; args: Array<bigint | string>; ended: boolean }> = [];
  checked: unknown;
  checkSource(s: unknown): void {
    this.checked = s;
  }
  begin(id: number, payload: number): number {
    this.calls.push({ id, payload, args: [], ended: false });
    return 0;
  }
  end(): void {
    this.calls[this.calls.length - 1].ended = true;
  }
  #push(v: bigint | string): number {
    this.calls[this.calls.length - 1].args.push(v);
    return 0;
  }
  putWords(_o: number, lo: number, hi: number): number {
    return this.#push((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }
  putNumber(_o: number, v: number): number {
    return this.#push(BigInt.asUintN(64, BigInt(v)));
  }
  putInt(_o: number, v: number): number {
    return this.#push(BigInt.asUintN(64, BigInt(v | 0)));
  }
  putBigInt(_o: number, v: bigint): number {
    return this.#push(BigInt.asUintN(64, v));
  }
  putString(_o: number, s: string | null, n: number): number {
    return this.#push((s ?? '').slice(0, n));
  }
  strLen(s: string | null | undefined): number {
    return s == null ? 0 : s.length;
  }
}

async function load(): Promise<{ SOURCE: Record<string, unknown>; bindTrace(t: FakeTracer): Record<string, (...a: unknown[]) => void> }> {
  const file = join(dir, 'trace.ts');
  writeFileSync(file, generateFirmwareTs(source));
  return import(pathToFileURL(file).href);
}

describe('firmware-ts', () => {
  it('describes the source: name, hash, count, signatures with normalised types, argument kinds', async () => {
    const { SOURCE } = await load();
    expect(SOURCE).toEqual({
      name: 'fw',
      hash: source.hash,
      eventCount: 4,
      signatures: [
        'fw_ints(uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, bool, char, int64_t, void *)',
        'fw_str(const char *, unsigned long)',
        'fw_off(int)',
        'fw_none(void)',
      ],
      argKinds: ['wwwwwwwwww', 'sw', 'w', ''],
    });
  });

  it('checks the state bit first: with every bit clear nothing is begun', async () => {
    const { bindTrace } = await load();
    const t = new FakeTracer();
    const trace = bindTrace(t);
    expect(t.checked).toMatchObject({ name: 'fw' });
    trace.fw_ints(1, 2, 3, 4, 5, 6, true, 7, 8, 9);
    trace.fw_str('x', 1);
    trace.fw_none();
    expect(t.calls).toEqual([]);
    t.ram[t.statePage] = 0b0100; // fw_off's bit: a `disable` event has no body at all
    trace.fw_off(1);
    expect(t.calls).toEqual([]);
  });

  it('stores each argument as C converts it to its type, then to uint64_t', async () => {
    const { bindTrace } = await load();
    const t = new FakeTracer();
    const trace = bindTrace(t);
    t.ram[t.statePage] = 0b1011;
    trace.fw_ints(0x1ff, 0x80, 0x12345, 0x8000, -1, 0x1_8000_0000, 2, 0xff, -2n, 0x7fff_0000_1234);
    trace.fw_str('hello', -1);
    trace.fw_none();
    expect(t.calls).toEqual([
      {
        id: 0,
        payload: 80,
        ended: true,
        args: [
          0xffn, // uint8_t 0x1ff
          0xffff_ffff_ffff_ff80n, // int8_t 0x80 is -128, sign-extended
          0x2345n, // uint16_t keeps 16 bits
          0xffff_ffff_ffff_8000n, // int16_t 0x8000 is -32768
          0xffff_ffffn, // uint32_t -1
          0xffff_ffff_8000_0000n, // int32_t of 0x180000000 is INT32_MIN
          1n, // bool 2 is true
          0xffff_ffff_ffff_ffffn, // char 0xff is -1 on x86
          0xffff_ffff_ffff_fffen, // int64_t -2
          0x7fff_0000_1234n, // void *
        ],
      },
      { id: 1, payload: 4 + 5 + 8, ended: true, args: ['hello', 0xffff_ffff_ffff_ffffn] },
      { id: 3, payload: 0, ended: true, args: [] },
    ]);
  });
});
