// Test helper: compiles a C program with gcc, runs it, and splits its framed output (one printf call per frame).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The C prelude every generated program starts with: headers, and `out()`, which frames one printf call's bytes. */
export const C_PRELUDE = `#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
static void frame(int n) { unsigned char b[4] = { n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >> 24) & 255 }; fwrite(b, 1, 4, stdout); }
#define OUT(...) frame(printf(__VA_ARGS__))
`;

/**
 * Compiles \`source\` (\`-O0 -w\`), runs it and returns each printf call's output bytes, in call order. Every
 * call must be wrapped in OUT(...): the program writes the call's bytes, then their count as a u32, so any byte
 * (NUL, newline) can appear in an output.
 */
export function runC(source: string): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-printf-'));
  try {
    const src = join(dir, 'p.c');
    const exe = join(dir, 'p');
    writeFileSync(src, source);
    execFileSync('gcc', ['-O0', '-w', '-o', exe, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stdout = execFileSync(exe, [], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    const frames: Uint8Array[] = [];
    let end = stdout.length;
    while (end > 0) {
      const n = stdout.readUInt32LE(end - 4);
      frames.push(new Uint8Array(stdout.subarray(end - 4 - n, end - 4)));
      end -= 4 + n;
    }
    return frames.reverse();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes as a C string literal: printable ASCII kept, everything else (and `"`, `\\`, `?`) as 3-digit octal. */
export function cLiteral(bytes: Uint8Array | string): string {
  const b = typeof bytes === 'string' ? Uint8Array.from(bytes, (c) => c.charCodeAt(0)) : bytes;
  let s = '"';
  for (const c of b) {
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3f) s += String.fromCharCode(c);
    else s += '\\' + c.toString(8).padStart(3, '0');
  }
  return s + '"';
}

/** A C expression of type `long long` / `unsigned long long` with the value `v` (any 64-bit pattern). */
export function cInteger(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return `0x${u.toString(16)}ULL`;
}
