// Test helper: QEMU's log-backend call, `printf("<name> " <fmt> "\n", args…)`, compiled with gcc and run (spec §6).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDecl } from '@unitrace/core';

/** True when gcc can be run here; the gcc comparisons are skipped otherwise (the golden files still run). */
export const HAVE_GCC: boolean = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** One argument as the C caller passes it: an integer or pointer value, string bytes, or null (NULL). */
export type CValue = bigint | Uint8Array | null;

/** One log line to produce in C: the event, and its argument values. */
export interface CCall {
  readonly decl: EventDecl;
  readonly values: readonly CValue[];
}

/** Bytes as a C string literal: printable ASCII kept, everything else (and `"`, `\\`, `?`) as 3-digit octal. */
export function cLiteral(bytes: Uint8Array | string): string {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  let s = '"';
  for (const c of b) {
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3f) s += String.fromCharCode(c);
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s + '"';
}

function cArg(kind: string, v: CValue): string {
  if (kind === 'string') return v instanceof Uint8Array ? cLiteral(v) : '(char *)0';
  const n = typeof v === 'bigint' ? BigInt.asUintN(64, v) : 0n;
  return kind === 'pointer' ? `(void *)0x${n.toString(16)}ULL` : `0x${n.toString(16)}ULL`;
}

/**
 * Writes one C function per event, exactly as QEMU's log backend generates it: parameters of the declared C types,
 * and the catalog's raw format text (quotes and PRI macros as written, so <inttypes.h> expands them) between
 * `"<name> "` and `"\n"`. Runs every call and returns all of stdout: the log lines gcc's printf produced.
 */
export function gccLogLines(calls: readonly CCall[]): Uint8Array {
  const fns = new Map<string, string>();
  const body: string[] = [];
  for (const { decl, values } of calls) {
    const fn = `log_${decl.name}`;
    if (!fns.has(fn)) {
      const params = decl.args.map((a, i) => `${a.type.text} a${i}`).join(', ') || 'void';
      const args = decl.args.map((_, i) => `, a${i}`).join('');
      // The format is raw catalog text (latin1, one char per byte): C string literals and PRI macros.
      fns.set(fn, `static void ${fn}(${params}) { printf("${decl.name} " ${decl.format} "\\n"${args}); }`);
    }
    body.push(`  ${fn}(${decl.args.map((a, i) => cArg(a.type.kind, values[i])).join(', ')});`);
  }
  const source = `#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
${[...fns.values()].join('\n')}
int main(void) {
${body.join('\n')}
  return 0;
}
`;
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-gcc-'));
  try {
    const src = join(dir, 'log.c');
    const exe = join(dir, 'log');
    writeFileSync(src, source, 'latin1');
    execFileSync('gcc', ['-O0', '-w', '-o', exe, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(execFileSync(exe, [], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
