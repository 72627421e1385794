// Test helper: compiles a C program with gcc, runs it and returns its stdout bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Headers every generated program needs: printf, fixed-width types and the PRI macros the catalog formats use. */
export const C_HEADERS = '#include <stdio.h>\n#include <stdint.h>\n#include <inttypes.h>\n#include <stdbool.h>\n#include <stddef.h>\n#include <sys/types.h>\n';

/** Compiles `source` (`-O0 -w`), runs it and returns what it printed. */
export function runC(source: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-c-'));
  try {
    writeFileSync(join(dir, 'p.c'), source);
    execFileSync('gcc', ['-O0', '-w', '-o', join(dir, 'p'), join(dir, 'p.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return execFileSync(join(dir, 'p'), [], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes as a C string literal: printable ASCII kept, everything else (and `"`, `\\`, `?`) as 3-digit octal. */
export function cLiteral(bytes: Uint8Array): string {
  let s = '"';
  for (const c of bytes) {
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3f) s += String.fromCharCode(c);
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s + '"';
}

/** An `unsigned long long` literal with the 64-bit pattern of `v`. */
export function cInteger(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}ULL`;
}
