import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EventDecl } from '../events/decl.js';
import { parseTraceEvents } from '../events/parse-trace-events.js';
import { catalogHash } from './canonical.js';
import { catalogFromText } from './load-catalog.js';
import { eventLine, flattenCatalog, FLATTEN_HEADER } from './flatten.js';

const CORPUS = fileURLToPath(new URL('../../test/fixtures/qemu-trace-events/', import.meta.url));
const corpusFiles = (readdirSync(CORPUS, { recursive: true }) as string[]).filter((f) => f.endsWith('trace-events')).sort();

/** What a declaration means, without where it was written. */
function meaning(events: readonly EventDecl[]): unknown[] {
  return events.map((e) => ({ name: e.name, properties: e.properties, disabled: e.disabled, format: e.format, args: e.args }));
}

function reparse(text: string): readonly EventDecl[] {
  const r = parseTraceEvents(text, 'flat');
  expect(r.diagnostics).toEqual([]);
  expect(r.includes).toEqual([]);
  return r.events;
}

describe('flattenCatalog', () => {
  const tree: Record<string, string> = {
    [resolve('fw/te')]: 'fw_a(char* s, uint64_t v) "%s 0x%"PRIx64""\ninclude "more"\n',
    [resolve('fw/more')]: 'fw_b(void)\n',
    [resolve('bios/te')]: 'disable  bios_a(char **argv, long unsigned int n) "%p %lu"\n',
  };
  const readFile = (abs: string): string => {
    const text = tree[abs];
    if (text === undefined) throw new Error(`missing ${abs}`);
    return text;
  };
  const catalog = catalogFromText(
    ['# host', 'h1(const char *name,int  x)  "%s %d"  ', 'include "fw/te" as fw', 'include "bios/te" as bios base 0x9000000000000000', 'h2(void) ""', ''].join('\n'),
    'te',
    { readFile },
  );
  const flat = flattenCatalog(catalog);

  it('writes a header, a comment per source with its kind and base, and one line per event, each ending in \\n', () => {
    expect(flat.split('\n')).toEqual([
      FLATTEN_HEADER,
      '# source host (host, base 0x0)',
      'h1(const char *name, int x) "%s %d"  ',
      'h2(void) ""',
      '# source fw (guest, base 0x8000000000000000)',
      'fw_a(char*s, uint64_t v) "%s 0x%"PRIx64""',
      'fw_b(void)',
      '# source bios (guest, base 0x9000000000000000)',
      'disable bios_a(char **argv, long unsigned int n) "%p %lu"',
      '',
    ]);
  });

  it('re-parses to the same events in id order, with the same hashes', () => {
    const again = reparse(flat);
    const all = catalog.sources.flatMap((s) => s.events);
    expect(meaning(again)).toEqual(meaning(all));
    let at = 0;
    for (const s of catalog.sources) {
      expect(catalogHash(again.slice(at, at + s.events.length), s.kind)).toBe(s.hash);
      at += s.events.length;
    }
  });

  it('keeps the properties as written', () => {
    const [e] = reparse('disable disable x(void)\n');
    expect(eventLine(e!)).toBe('disable disable x(void)');
  });
});

describe('flattenCatalog on the QEMU corpus', () => {
  it('round-trips every one of the 100 files', () => {
    expect(corpusFiles).toHaveLength(100);
    let total = 0;
    for (const f of corpusFiles) {
      const text = readFileSync(resolve(CORPUS, f), 'latin1');
      const catalog = catalogFromText(text, f);
      const again = reparse(flattenCatalog(catalog));
      expect(meaning(again), f).toEqual(meaning(catalog.sources[0]!.events));
      total += again.length;
    }
    expect(total).toBe(5667);
  });

  it('round-trips one catalog of every file a Linux system build registers (spec §8.1: 5,618 events)', () => {
    const left = new Set(['tests/tracetool/trace-events', 'hw/i3c/trace-events', 'bsd-user/trace-events']);
    const root = corpusFiles.filter((f) => !left.has(f)).map((f) => `include "${f}"\n`).join('');
    const catalog = catalogFromText(root, resolve(CORPUS, 'all-trace-events'));
    expect(catalog.sources[0]!.events).toHaveLength(5618);
    const again = reparse(flattenCatalog(catalog));
    expect(meaning(again)).toEqual(meaning(catalog.sources[0]!.events));
  });
});
