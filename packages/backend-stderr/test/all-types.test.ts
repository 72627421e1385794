// Golden lines for an event of every argument type (spec §8.2) with edge values, each line checked against gcc.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createManualClock, createRegistry, createTracer, loadCatalog, type ArgValue, type EventDecl } from '@unitrace/core';
import { createStderrSink } from '../src/index.js';
import { gccLogLines, HAVE_GCC, type CCall, type CValue } from './support/gcc.js';
import { createStreamDouble } from './support/stream-double.js';

const CATALOG = fileURLToPath(new URL('./fixtures/all-types.trace-events', import.meta.url));

const INTEGERS: readonly bigint[] = [
  0n, 1n, -1n, 127n, 128n, 255n, 256n, 32767n, 32768n, 65535n, 65536n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n,
  2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 0x55d925bd9490n, -1234567n,
];
// %c prints one raw byte; printable ASCII keeps the golden file valid UTF-8 (core's printf test covers every byte).
const CHARS: readonly bigint[] = [0x41n, 0x7an, 0x20n, 0x30n, 0x7en];
const POINTERS: readonly bigint[] = [0n, 1n, 0x55d925bd9490n, 0x80000000n, 2n ** 64n - 1n];
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
// NULL is left out: the record stores it as an empty string, which C would print as "(null)".
const STRINGS: readonly Uint8Array[] = [
  utf8(''),
  utf8('signature'),
  utf8('a string longer than twenty-three bytes'),
  utf8('quote " backslash \\ newline \n tab \t end'),
  utf8('ünïcödé'),
  utf8('%s %d is not a format here'),
];
const STAR: ReadonlyArray<readonly [bigint, bigint]> = [
  [8n, 0xbeefn],
  [0n, 1n],
  [-6n, 0xabn],
  [20n, 2n ** 64n - 1n],
  [1n, 0n],
];

function valueSets(decl: EventDecl): CValue[][] {
  if (decl.name === 'at_star_width') return STAR.map(([w, v]) => [w, v]);
  const kinds = decl.args.map((a) => a.type.kind);
  if (kinds.length === 0) return [[]];
  const pool = (i: number): readonly CValue[] => {
    const t = decl.args[i].type;
    if (t.kind === 'string') return STRINGS;
    if (t.kind === 'pointer') return POINTERS;
    return decl.format.includes('%c') ? CHARS : INTEGERS;
  };
  // One argument per conversion: when they share a type, every conversion shows the same value.
  const same = decl.args.every((a) => a.type.text === decl.args[0].type.text);
  const longest = Math.max(...decl.args.map((_, i) => pool(i).length));
  return Array.from({ length: longest }, (_, k) => decl.args.map((_, i) => pool(i)[(k + (same ? 0 : i)) % pool(i).length]));
}

function renderAll(events: (decl: EventDecl) => boolean): { calls: CCall[]; output: Uint8Array } {
  const registry = createRegistry(loadCatalog(CATALOG));
  registry.enable('*');
  const clock = createManualClock(5_000_000);
  const tracer = createTracer({ registry, clock, pid: 1, exitFlush: false });
  const stream = createStreamDouble();
  const errors: unknown[] = [];
  tracer.addSink(createStderrSink({ stream }, { onError: (e) => errors.push(e), pid: 1, clock }));
  const calls: CCall[] = [];
  for (const decl of registry.sources[0].events.filter(events)) {
    for (const values of valueSets(decl)) {
      calls.push({ decl, values });
      tracer.emit(registry.lookup(decl.name)!.index, values as ArgValue[]);
    }
  }
  tracer.deliver();
  expect(errors).toEqual([]);
  return { calls, output: stream.bytes() };
}

/** Lines of gcc and of the sink that differ, as [gcc, ours] pairs. */
function differences(calls: readonly CCall[], output: Uint8Array): string[][] {
  const ours = Buffer.from(output).toString('latin1').split('\n');
  const theirs = Buffer.from(gccLogLines(calls)).toString('latin1').split('\n');
  expect(ours.length).toBe(theirs.length);
  return theirs.map((line, i) => [line, ours[i]]).filter(([a, b]) => a !== b);
}

const PRI_MISMATCH = (decl: EventDecl): boolean => decl.name.startsWith('pm_');

describe('every argument type', () => {
  const { calls, output } = renderAll((d) => !PRI_MISMATCH(d));

  it('covers every one of the 41 distinct types of spec §8.2 (after spacing is normalised)', () => {
    const types = new Set(calls.flatMap((c) => c.decl.args.map((a) => a.type.normalized)));
    expect(types.size).toBeGreaterThanOrEqual(41);
  });

  it('matches the golden file', async () => {
    await expect(new TextDecoder('utf-8', { fatal: true }).decode(output)).toMatchFileSnapshot('./golden/all-types.txt');
  });

  it.skipIf(!HAVE_GCC)('is byte for byte what gcc printf prints for QEMU log-backend calls', () => {
    expect(differences(calls, output).slice(0, 10)).toEqual([]);
  });
});

describe('PRI macros of 8 and 16 bits on mismatched argument types', () => {
  // A glibc-built QEMU gets %d/%x from <inttypes.h> for PRId8/PRIx16 (not tracetool's %hhd/%hx), so a uint8_t 255
  // under PRId8 prints 255: core expands PRI macros the glibc way, and this checks it against gcc.
  const { calls, output } = renderAll(PRI_MISMATCH);

  it.skipIf(!HAVE_GCC)('prints what gcc prints', () => {
    expect(differences(calls, output)).toEqual([]);
  });
});
