// The printf engine against gcc-compiled glibc printf, byte for byte: a table over every spec of spec §8.4,
// random specs, and a sample of real QEMU events rendered from simpletrace payloads.
import { describe, expect, it } from 'vitest';
import { compileFormat } from '../src/format/compile-format.js';
import { makeDecl } from './support/c-types.js';
import { loadCorpus } from './support/corpus.js';
import { compareWithGcc, type GccCall } from './support/gcc-check.js';
import type { RawValue } from './support/payload.js';
import { EDGE_VALUES, randomInteger, randomStringBytes, Rng } from './support/rng.js';
import { specTexts } from './support/spec-texts.js';

/** Spec §8.4, typed from the document: the 64 distinct conversion specs of the corpus after PRI expansion. */
const SPEC_84 = `%d %llx %s %x %u %p %02x %llu %08x %lld %04x %zu %hhx %hu %lx %08llx %hx %016llx %hhu %04llx %c %.8x %X
  %zd %02llx %2.2x %02hhx %zx %04hx %lli %i %04X %03x %lu %tx %ld %03llx %02d %8.8x %% %010llx %02u %hhd %3d %0*llx
  %06x %02hx %05x %04hX %20s %06llx %03llu %4hu %4d %2d %.2x %08zx %o %04zx %01x %2u %1x %23s %08lx`
  .split(/\s+/)
  .filter((s) => s !== '');

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const STRINGS: readonly RawValue[] = [
  null,
  ascii(''),
  ascii('a'),
  ascii('hello world'),
  ascii('exactly-twenty-chars'),
  ascii('a string longer than twenty-three bytes'),
  Uint8Array.of(0xff, 0xfe, 0x41, 0x80),
];
const POINTERS: readonly RawValue[] = [null, 1n, 0x7fff_0000_1234n, -1n, 0x80000000n, 0xffff_ffff_8000_0000n];
const STAR_WIDTHS: readonly bigint[] = [-20n, -9n, -1n, 0n, 1n, 5n, 17n, 0x1_0000_0005n, -0x1_0000_0000n];

/** The C types an argument of a spec with this length modifier is tried with (correct ones and mismatches). */
function typesFor(conversion: string, length: string): string[] {
  if (conversion === 's') return ['const char *', 'char *'];
  if (conversion === 'p') return ['void *', 'const void *', 'char **', 'uint64_t'];
  if (conversion === 'c') return ['char', 'const char', 'int', 'uint8_t', 'unsigned'];
  switch (length) {
    case 'hh':
      return ['uint8_t', 'int8_t', 'int', 'unsigned char'];
    case 'h':
      return ['uint16_t', 'int16_t', 'int', 'unsigned short'];
    case '':
      return ['int', 'unsigned', 'uint32_t', 'int32_t', 'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'bool', 'char', 'uint64_t'];
    case 'z':
      return ['size_t', 'ssize_t'];
    case 't':
      return ['uintptr_t', 'ptrdiff_t'];
    default:
      return ['uint64_t', 'int64_t', 'long', 'unsigned long', 'long unsigned int', 'unsigned long long', 'int', 'uint32_t'];
  }
}

function valuesFor(type: string): readonly RawValue[] {
  if (type === 'const char *' || type === 'char *') return STRINGS;
  if (type.includes('*')) return POINTERS;
  return EDGE_VALUES;
}

/** Table (a): each spec of §8.4 inside brackets, with every type of `typesFor` and the edge values of that type. */
function tableCalls(): GccCall[] {
  const calls: GccCall[] = [];
  for (const spec of SPEC_84) {
    if (spec === '%%') {
      const decl = makeDecl('pct', ['unsigned']);
      for (const v of [0n, 100n, -1n]) calls.push({ label: '%%', decl, template: '[%u%%] %%', values: [v] });
      continue;
    }
    const m = /^%([-0# +]*)(\*|\d+)?(\.\d*)?(hh|h|ll|l|z|t|j)?([a-zA-Z])$/.exec(spec)!;
    for (const type of typesFor(m[5], m[4] ?? '')) {
      const star = m[2] === '*';
      const decl = makeDecl('t', star ? ['int', type] : [type]);
      for (const v of valuesFor(type)) {
        if (!star) calls.push({ label: `${spec} ${type} ${String(v)}`, decl, template: `[${spec}]`, values: [v] });
        else for (const w of STAR_WIDTHS) calls.push({ label: `${spec} ${type} *${w} ${String(v)}`, decl, template: `[${spec}]`, values: [w, v] });
      }
    }
  }
  return calls;
}

const INT_TYPES = ['int', 'unsigned', 'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t',
  'bool', 'char', 'unsigned char', 'long', 'unsigned long', 'size_t', 'ssize_t', 'uintptr_t', 'const int', 'unsigned short'];

/** Random specs: any flags, width, precision (numbers or `*`), length and conversion, with matching-kind types. */
function fuzzCalls(count: number): GccCall[] {
  const rng = new Rng(0x5eed);
  const calls: GccCall[] = [];
  for (let n = 0; n < count; n++) {
    const conv = rng.pick(['d', 'i', 'u', 'o', 'x', 'X', 'c', 's', 'p']);
    const flags = ['-', '0', '#', ' ', '+'].filter(() => rng.chance(0.25)).join('');
    const types: string[] = [];
    const values: RawValue[] = [];
    const star = (): string => {
      types.push('int');
      values.push(BigInt(rng.int(61) - 30));
      return '*';
    };
    const width = rng.chance(0.4) ? '' : rng.chance(0.2) ? star() : String(rng.int(26));
    const precision = rng.chance(0.5) ? '' : rng.chance(0.2) ? `.${star()}` : rng.chance(0.1) ? '.' : `.${rng.int(26)}`;
    const length = 'csp'.includes(conv) ? '' : rng.pick(['', 'hh', 'h', 'l', 'll', 'z', 't', 'j', 'L', 'q']);
    const type = conv === 's' ? rng.pick(['const char *', 'char *']) : conv === 'p' ? rng.pick(['void *', 'uint64_t']) : rng.pick(INT_TYPES);
    types.push(type);
    if (conv === 's') values.push(rng.chance(0.15) ? null : randomStringBytes(rng));
    else if (type === 'void *') values.push(rng.chance(0.15) ? null : randomInteger(rng));
    else values.push(randomInteger(rng));
    const spec = `%${flags}${width}${precision}${length}${conv}`;
    calls.push({ label: `${spec} ${types.join(',')} ${values.map(String).join(',')}`, decl: makeDecl('f', types), template: `[${spec}]`, values });
  }
  return calls;
}

/** A raw argument for a corpus event: `*` widths stay small, strings and pointers are NULL sometimes. */
function corpusValue(rng: Rng, kind: string, isStar: boolean): RawValue {
  if (isStar) return BigInt(rng.int(41) - 20);
  if (kind === 'string') return rng.chance(0.08) ? null : randomStringBytes(rng);
  if (kind === 'pointer') return rng.chance(0.1) ? null : rng.chance(0.7) ? BigInt(0x5555_0000_0000 + rng.int(2 ** 31)) : rng.u64();
  return randomInteger(rng);
}

function formatFailures(mismatches: readonly { label: string; path: string; gcc: string; ours: string }[]): string {
  return mismatches
    .slice(0, 20)
    .map((m) => `${m.label} [${m.path}]\n  gcc:  ${m.gcc}\n  ours: ${m.ours}`)
    .join('\n');
}

describe('printf engine vs gcc (glibc, x86-64)', () => {
  it('the table covers all 64 conversion specs of spec §8.4', () => {
    expect(SPEC_84).toHaveLength(64);
    const covered = new Set(tableCalls().flatMap((c) => specTexts(c.template)));
    expect([...new Set(SPEC_84)].filter((s) => !covered.has(s))).toEqual([]);
  });

  it('renders every table case byte-exact, from values and from payloads', { timeout: 60_000 }, () => {
    const { mismatches, checked } = compareWithGcc(tableCalls());
    expect(checked).toBeGreaterThan(2000);
    expect(mismatches.length, formatFailures(mismatches)).toBe(0);
  });

  it('renders 1500 random specs byte-exact', { timeout: 60_000 }, () => {
    const { mismatches, checked } = compareWithGcc(fuzzCalls(1500));
    expect(checked).toBeGreaterThanOrEqual(1500);
    expect(mismatches.length, formatFailures(mismatches)).toBe(0);
  });

  it('renders a sample of corpus events (every spec of the corpus included) byte-exact', { timeout: 60_000 }, () => {
    const corpus = loadCorpus();
    expect(corpus.problems).toEqual([]);
    expect(corpus.events.length).toBe(5667);
    // §8.4 counts specs with tracetool's PRI expansion; C (and our rendering) use glibc's, checked below.
    expect([...new Set(corpus.events.flatMap((e) => specTexts(e.tracetoolTemplate)))].sort()).toEqual([...new Set(SPEC_84)].sort());
    const corpusSpecs = new Set(corpus.events.flatMap((e) => specTexts(e.template)));

    const rng = new Rng(0xc0ffee);
    const chosen = new Set<number>();
    const sampled = new Set<string>();
    corpus.events.forEach((e, i) => {
      const specs = specTexts(e.template);
      const special = specs.some((s) => s.includes('*') || s.endsWith('c') || s === '%%' || s.endsWith('o') || s === '%20s');
      if (special || specs.some((s) => !sampled.has(s))) {
        chosen.add(i);
        specs.forEach((s) => sampled.add(s));
      }
    });
    while (chosen.size < 700) chosen.add(rng.int(corpus.events.length));

    const calls: GccCall[] = [];
    const exercised = new Set<string>();
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const { decl, template, file } = corpus.events[i];
      const compiled = compileFormat(decl, template);
      expect(compiled.diagnostics, `${file} ${decl.name}`).toEqual([]);
      const starArgs = new Set<number>();
      let k = 0;
      for (const s of specTexts(template)) {
        if (s === '%%') continue;
        for (const ch of s) if (ch === '*') starArgs.add(k++);
        k++;
      }
      for (let round = 0; round < 2; round++) {
        const values = decl.args.map((a, j) => corpusValue(rng, a.type.kind, starArgs.has(j)));
        const cFormat = `"${decl.name} " ${decl.format || '""'} "\\n"`;
        calls.push({ label: `${file} ${decl.name}`, decl, template, prefix: `${decl.name} `, suffix: '\n', cFormat, values });
      }
      specTexts(template).forEach((s) => exercised.add(s));
    }
    const { mismatches, checked } = compareWithGcc(calls);
    expect(checked).toBeGreaterThanOrEqual(1400);
    expect(mismatches.length, formatFailures(mismatches)).toBe(0);
    expect([...corpusSpecs].filter((s) => !exercised.has(s))).toEqual([]);
  });
});
