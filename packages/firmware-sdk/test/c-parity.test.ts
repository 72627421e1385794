// The C header and the TypeScript SDK make the same batches, byte for byte: the same calls with the same values and
// the same clock readings, through gcc-compiled C (a stub transport writing each batch to stdout) and through
// firmware-ts functions on the SDK's tracer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogFromText } from '@unitrace/core';
import { generateCHeader, generateFirmwareTs } from '@unitrace/core/codegen';
import { afterAll, describe, expect, it } from 'vitest';
import { createGuestTracer, type GuestSource, type GuestTracer } from '../src/index.js';
import { FakeCpu } from './support/fake-cpu.js';
import { createFakeHost, decodeBatch } from './support/fake-host.js';

const GUEST = [
  'fw_start(void) "start"',
  'fw_ints(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e, int32_t f, uint64_t g, int64_t h, bool i, char j) ""',
  'fw_ptr(void *p, size_t n, long t) ""', // argument names the generated code uses itself
  'fw_msg(const char *s) "%s"',
  'fw_two(const char *a, unsigned int x, const char *b) ""',
  'fw_off(int x) ""',
  '',
].join('\n');
const catalog = catalogFromText('include "g/trace-events" as fw\n', 'mem/trace-events', {
  readFile: (p) => (p === resolve('mem/g/trace-events') ? GUEST : ''),
});
const source = catalog.sources[1];

/** Each call once in TypeScript values and once in C argument text; the values are the same numbers. */
const ROUND: ReadonlyArray<{ ev: string; ts: readonly unknown[]; c: string }> = [
  { ev: 'fw_start', ts: [], c: '' },
  {
    ev: 'fw_ints',
    ts: [0x1ff, 0x80, 0x12345, 0x8000, -1, 0x1_8000_0000, 0xffff_ffff_ffff_fffen, -2n, 2, 0xff],
    c: '0x1ff, 0x80, 0x12345, 0x8000, -1, 0x180000000LL, 0xfffffffffffffffeULL, -2LL, 2, 0xff',
  },
  { ev: 'fw_ptr', ts: [0x7fff_0000_1234, 4096, -5], c: '(void *)0x7fff00001234ULL, 4096, -5L' },
  { ev: 'fw_msg', ts: ['hello'], c: '"hello"' },
  { ev: 'fw_msg', ts: [null], c: '(const char *)0' },
  { ev: 'fw_msg', ts: ['y'.repeat(600)], c: `"${'y'.repeat(600)}"` }, // cut to 512 bytes
  { ev: 'fw_two', ts: ['z'.repeat(600), 1, 'w'.repeat(600)], c: `"${'z'.repeat(600)}", 1u, "${'w'.repeat(600)}"` }, // too big: dropped
  { ev: 'fw_two', ts: ['\u00e9t\u00e9', 7, ''], c: '"\\303\\251t\\303\\251", 7u, ""' },
  { ev: 'fw_off', ts: [1], c: '1' }, // its state bit is clear
];
const CALLS = Array.from({ length: 6 }, () => ROUND).flat();
const STATE = 0b011111;
const BATCH = 1024;

const dir = mkdtempSync(join(tmpdir(), 'unitrace-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cBatches(): Uint8Array[] {
  writeFileSync(join(dir, 'fw.h'), generateCHeader(source));
  const calls = CALLS.map((k) => `  trace_${k.ev}(&t${k.c ? `, ${k.c}` : ''});`).join('\n');
  writeFileSync(
    join(dir, 'main.c'),
    `#define UNITRACE_IMPLEMENTATION
#include "fw.h"
#include <stdio.h>
static uint64_t now = 1000;
static uint64_t clk(void *c) { uint64_t v = now; (void)c; now += 7; return v; }
static int snd(void *c, const uint8_t *b, uint32_t n) {
  uint8_t len[4]; len[0] = (uint8_t)n; len[1] = (uint8_t)(n >> 8); len[2] = (uint8_t)(n >> 16); len[3] = (uint8_t)(n >> 24);
  (void)c; fwrite(len, 1, 4, stdout); fwrite(b, 1, n, stdout); return 1;
}
int main(void) {
  static uint8_t state[1] = { ${STATE} };
  static uint8_t batch[${BATCH}];
  unitrace_tracer t;
  unitrace_init(&t, state, batch, sizeof batch, 2, clk, snd, 0);
${calls}
  unitrace_flush(&t);
  return 0;
}
`,
  );
  const exe = join(dir, 'parity');
  // -w: the out-of-range constants are the point (C converts them as the TS code must).
  execFileSync('gcc', ['-std=c99', '-O1', '-w', '-o', exe, join(dir, 'main.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const out = execFileSync(exe);
  const frames: Uint8Array[] = [];
  for (let o = 0; o < out.length; ) {
    const n = out.readUInt32LE(o);
    frames.push(new Uint8Array(out.subarray(o + 4, o + 4 + n)));
    o += 4 + n;
  }
  return frames;
}

async function tsBatches(): Promise<{ batches: Uint8Array[]; tracer: GuestTracer }> {
  const file = join(dir, 'fw-trace.ts');
  writeFileSync(file, generateFirmwareTs(source));
  const mod = (await import(pathToFileURL(file).href)) as {
    SOURCE: GuestSource;
    bindTrace(t: GuestTracer): Record<string, (...a: unknown[]) => void>;
  };
  const cpu = new FakeCpu(1 << 16, 1000, 7);
  const host = createFakeHost({ stateByte: STATE });
  const tracer = createGuestTracer(cpu, { source: mod.SOURCE, ram: { base: 0x1000, bytes: 0x4000, earlyBytes: 0, batchBytes: BATCH }, vcpu: 2 });
  tracer.connect(host.transport);
  const trace = mod.bindTrace(tracer);
  for (const k of CALLS) trace[k.ev](...k.ts);
  tracer.flush();
  return { batches: host.batches, tracer };
}

describe('C header and TypeScript SDK', () => {
  it('produce identical batches for identical calls', async () => {
    const c = cBatches();
    const { batches, tracer } = await tsBatches();
    // The scenario exercises what it claims: several full batches, drops reported in headers, a disabled event.
    const decoded = batches.map(decodeBatch);
    expect(decoded.length).toBeGreaterThanOrEqual(4);
    expect(decoded.reduce((n, b) => n + b.dropped, 0)).toBe(6);
    expect(decoded.flatMap((b) => b.records.map((r) => r.id))).not.toContain(5);
    expect(decoded.flatMap((b) => b.records.map((r) => r.len))).toContain(24 + 4 + 512); // a string cut at 512
    expect(tracer.stats()).toMatchObject({ dropped: 6, sent: 7 * 6 });
    expect(c.map((b) => Buffer.from(b).toString('hex'))).toEqual(batches.map((b) => Buffer.from(b).toString('hex')));
  });
});
