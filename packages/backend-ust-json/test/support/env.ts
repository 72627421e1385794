// A SinkEnv for tests, a temporary folder per test file, and a file's lines.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type ManualClock, type SinkEnv } from '@unitrace/core';

/** A SinkEnv that collects errors, with pid 4242 and a manual clock at 5 ms. */
export function testEnv(): SinkEnv & { errors: unknown[]; clock: ManualClock } {
  const errors: unknown[] = [];
  return { onError: (err) => errors.push(err), pid: 4242, clock: createManualClock(5_000_000), errors };
}

/** A fresh temporary folder and a function that removes it. */
export function tempDir(prefix = 'ust-json-'): { dir: string; path(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The lines of a text file, without the empty string after the last newline. */
export function lines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  expectTrailingNewline(text);
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

function expectTrailingNewline(text: string): void {
  if (text !== '' && !text.endsWith('\n')) throw new Error('output does not end with a newline');
}
