// The c-header output compiles cleanly as C99 (two sources in one program, the runtime defined once) and encodes
// the batch the channel ABI's byte tables describe, checked against bytes derived by hand from those tables.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/load-catalog.js';
import { generateCHeader } from './c-header.js';

const catalog = loadCatalog(join(import.meta.dirname, '..', '..', '..', 'test', 'golden', 'catalog', 'trace-events'));
const source = (name: string) => catalog.sources.find((s) => s.name === name)!;
const dir = mkdtempSync(join(tmpdir(), 'unitrace-c-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAIN = `#define UNITRACE_IMPLEMENTATION
#include "firmware.h"
#include "kernel.h"
#include <stdio.h>
void other_unit(unitrace_tracer *t);
static uint64_t now = 1000;
static uint64_t clk(void *c) { (void)c; return now++; }
static int snd(void *c, const uint8_t *b, uint32_t n) { (void)c; fwrite(b, 1, n, stdout); return 1; }
int main(void) {
  static uint8_t state[1] = { 0x02 };
  static uint8_t batch[256];
  uint8_t hs[96];
  unitrace_tracer t;
  unitrace_init(&t, state, batch, sizeof batch, 7, clk, snd, 0);
  trace_fw_halt(&t);
  trace_fw_value(&t, 0x1122334455667788ull);
  unitrace_flush(&t);
  unitrace_firmware_handshake(hs, 0x12345678u, 4096u, 1);
  fwrite(hs, 1, sizeof hs, stdout);
  fwrite(unitrace_firmware_names, 1, UNITRACE_FIRMWARE_NAMES_BYTES, stdout);
  other_unit(&t);
  return 0;
}
`;
const OTHER = `#include "firmware.h"
#include "kernel.h"
void other_unit(unitrace_tracer *t);
void other_unit(unitrace_tracer *t) { trace_kernel_syscall(t, 1u, 2ul); trace_fw_boot(t, 1u, "x"); }
`;

function build(): Buffer {
  writeFileSync(join(dir, 'firmware.h'), generateCHeader(source('firmware')));
  writeFileSync(join(dir, 'kernel.h'), generateCHeader(source('kernel')));
  writeFileSync(join(dir, 'main.c'), MAIN);
  writeFileSync(join(dir, 'other.c'), OTHER);
  const exe = join(dir, 'prog');
  const flags = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O1'];
  execFileSync('gcc', [...flags, '-o', exe, join(dir, 'main.c'), join(dir, 'other.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return execFileSync(exe);
}

const le = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);

describe('c-header', () => {
  const out = build();

  it('writes the batch of channel-abi.md: header, then one record; a disabled event costs nothing', () => {
    const batch = [...out.subarray(0, 64)];
    expect(batch).toEqual([
      0x55, 0x54, 0x42, 0x54, // magic UTBT
      ...le(0, 4), // sequence 0
      ...le(1, 4), // one record
      ...le(32, 4), // 32 bytes of records
      ...le(0, 4), // dropped
      ...le(0, 4), // flags
      ...le(0, 8), // first record index
      ...le(1, 8), // local id 1 (fw_value); fw_halt's bit is clear
      ...le(1000, 8), // the first clock reading
      ...le(32, 4), // record length 24 + 8
      ...le(7, 4), // pid = vCPU 7
      0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
    ]);
  });

  it('fills the handshake block and carries the names text', () => {
    const hs = [...out.subarray(64, 160)];
    const hash = source('firmware').hash.match(/../g)!.map((h) => parseInt(h, 16));
    const names = 'fw_boot(uint32_t, const char *)\0fw_value(uint64_t)\0fw_halt(void)\0fw_note(const char *)\0';
    expect(hs).toEqual([
      0x55, 0x54, 0x48, 0x53, // magic UTHS
      ...le(1, 2), // ABI version
      ...le(1, 2), // transport fw_cfg
      ...le(4, 4), // events
      ...le(4096, 4), // batch bytes
      ...le(0x12345678, 8), // state page
      ...hash,
      ...le(names.length, 4),
      ...le(0, 36),
    ]);
    expect(out.subarray(160).toString('latin1')).toBe(names);
  });
});
