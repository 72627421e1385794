import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTraceError } from '../errors.js';
import type { Diagnostic } from '../events/decl.js';
import { catalogHash } from './canonical.js';
import { diagnosticsOf, formatDiagnostic } from './diagnostics.js';
import { catalogFromText, loadCatalog, loadCatalogUnchecked } from './load-catalog.js';

/** An in-memory file system for the loader: display path → text. */
function files(tree: Record<string, string>): { readFile: (abs: string) => string; read: string[] } {
  const byAbs = new Map(Object.entries(tree).map(([k, v]) => [resolve(k), v]));
  const read: string[] = [];
  return {
    read,
    readFile: (abs: string) => {
      read.push(abs);
      const text = byAbs.get(abs);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${abs}`), { code: 'ENOENT' });
      return text;
    },
  };
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const names = (events: readonly { name: string }[]) => events.map((e) => e.name);
const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');
const at = (d: Diagnostic) => `${d.code}@${d.location.file}:${d.location.line}:${d.location.column}`;
const chain = (d: Diagnostic) => (d.includeChain ?? []).map((l) => `${l.file}:${l.line}:${l.column}`);

describe('loadCatalog: the host source and plain includes', () => {
  it('puts a plain include’s events where the include line stands, depth-first, paths relative to the includer', () => {
    const fs = files({
      'root/te': lines('a(void)', 'include "sub/te"', 'e(void)', 'include "tail/te"'),
      'root/sub/te': lines('include "deeper/te"', 'b(void)', 'd(void)'),
      'root/sub/deeper/te': lines('# only a comment', 'a0(void)'),
      'root/tail/te': lines('f(void)'),
    });
    const c = loadCatalog('root/te', fs);
    expect(c.sources).toHaveLength(1);
    const host = c.sources[0]!;
    expect(names(host.events)).toEqual(['a', 'a0', 'b', 'd', 'e', 'f']);
    expect(host).toMatchObject({ name: 'host', kind: 'host', guestIndex: -1, base: 0n, pinned: false, file: 'root/te' });
    expect(c.files).toEqual(['root/te', 'root/sub/te', join('root/sub', 'deeper/te'), 'root/tail/te']);
    expect(c.diagnostics).toEqual([]);
  });

  it('takes the host name from the options', () => {
    expect(loadCatalog('te', { ...files({ te: lines('a(void)') }), hostName: 'qemu' }).sources[0]!.name).toBe('qemu');
  });
});

describe('loadCatalog: guest sources', () => {
  it('numbers guests in the order their includes are met, depth-first, with computed bases', () => {
    const fs = files({
      te: lines('h1(void)', 'include "board/te"', 'include "bios/te" as bios', 'h3(void)'),
      'board/te': lines('h2(void)', 'include "../fw/te" as fw'),
      'fw/te': lines('fw_a(void)', 'include "more-fw"'),
      'fw/more-fw': lines('fw_b(int x) "%d"'),
      'bios/te': lines('bios_a(void)'),
    });
    const c = loadCatalog('te', fs);
    expect(c.sources.map((s) => [s.name, s.kind, s.guestIndex, s.base])).toEqual([
      ['host', 'host', -1, 0n],
      ['fw', 'guest', 0, 0x8000_0000_0000_0000n],
      ['bios', 'guest', 1, 0x8000_0001_0000_0000n],
    ]);
    expect(names(c.sources[0]!.events)).toEqual(['h1', 'h2', 'h3']);
    expect(names(c.sources[1]!.events)).toEqual(['fw_a', 'fw_b']);
    expect(c.sources[1]).toMatchObject({ file: join('board', '../fw/te'), pinned: false, includedAt: { file: 'board/te', line: 2, column: 1 } });
  });

  it('uses a pinned base and marks it', () => {
    const c = loadCatalog('te', files({ te: lines('include "g" as g base 0x9000000000000000'), g: lines('x(void)') }));
    expect(c.sources[1]).toMatchObject({ base: 0x9000_0000_0000_0000n, pinned: true, guestIndex: 0 });
  });

  it('hashes every source from its events and kind', () => {
    const c = loadCatalog('te', files({ te: lines('a(int x) "%d"', 'include "g" as g'), g: lines('b(void)') }));
    expect(c.sources[0]!.hash).toBe(catalogHash(c.sources[0]!.events, 'host'));
    expect(c.sources[1]!.hash).toBe(catalogHash(c.sources[1]!.events, 'guest'));
    expect(c.sources[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('loadCatalog: faults, with the include chain', () => {
  it('reports a cycle at the include line that closes it', () => {
    const fs = files({ te: lines('include "a"'), a: lines('include "b"'), b: lines('x(void)', 'include "a"') });
    const [d, ...rest] = loadCatalogUnchecked('te', fs).diagnostics;
    expect(rest).toEqual([]);
    expect(at(d!)).toBe('E_INCLUDE@b:2:1');
    expect(chain(d!)).toEqual(['te:1:1', 'a:1:1']);
    expect(d!.message).toContain('cycle');
  });

  it('reports a file that includes itself', () => {
    const d = loadCatalogUnchecked('te', files({ te: lines('include "te"') })).diagnostics;
    expect(d.map(at)).toEqual(['E_INCLUDE@te:1:1']);
  });

  it('reports a missing file at the include line, with the chain to it', () => {
    const fs = files({ te: lines('a(void)', '', 'include "mid"'), mid: lines('include "gone" as g') });
    const ds = loadCatalogUnchecked('te', fs).diagnostics;
    expect(ds.map(at)).toEqual(['E_INCLUDE@mid:1:1']);
    expect(chain(ds[0]!)).toEqual(['te:3:1']);
    expect(ds[0]!.message).toContain("'gone'");
  });

  it('reports a missing root file as E_IO', () => {
    expect(loadCatalogUnchecked('nope', files({})).diagnostics.map((d) => d.code)).toEqual(['E_IO']);
  });

  it('reports a duplicate event name across host and guest at the later one, with its chain', () => {
    const fs = files({ te: lines('dup(void)', 'include "mid"'), mid: lines('include "g" as g'), g: lines('ok(void)', 'dup(int x) "%d"') });
    const ds = loadCatalogUnchecked('te', fs).diagnostics;
    expect(ds.map(at)).toEqual(['E_DUPLICATE@g:2:1']);
    expect(chain(ds[0]!)).toEqual(['te:2:1', 'mid:1:1']);
    expect(ds[0]!.message).toContain('te:1:1');
    expect(formatDiagnostic(ds[0]!).split('\n')).toEqual([
      'In file included from te:2:1,',
      '                 from mid:1:1:',
      "g:2:1: error: event 'dup' is already declared at te:1:1",
    ]);
  });

  it('reports a duplicate event name within one file and across plain includes', () => {
    const ds = loadCatalogUnchecked('te', files({ te: lines('a(void)', 'a(void)', 'include "p"'), p: lines('a(void)') })).diagnostics;
    expect(ds.map(at)).toEqual(['E_DUPLICATE@te:2:1', 'E_DUPLICATE@p:1:1']);
  });

  it('reports a duplicate source name and a guest named like the host', () => {
    const fs = files({ te: lines('include "a" as fw', 'include "b" as fw', 'include "c" as host'), a: lines('a(void)'), b: lines('b(void)'), c: lines('c(void)') });
    const c = loadCatalogUnchecked('te', fs);
    expect(c.diagnostics.map(at)).toEqual(['E_DUPLICATE@te:2:1', 'E_DUPLICATE@te:3:1']);
    expect(c.diagnostics[0]!.message).toContain('te:1:1');
    expect(c.sources.map((s) => s.name)).toEqual(['host', 'fw']);
  });

  it('still reads a refused guest so its own faults show', () => {
    const fs = files({ te: lines('include "a" as x', 'include "b" as x'), a: lines('a(void)'), b: lines('b()') });
    expect(loadCatalogUnchecked('te', fs).diagnostics.map(at)).toEqual(['E_DUPLICATE@te:2:1', 'E_PARSE@b:1:3']);
  });

  it('refuses a guest inside a guest', () => {
    const fs = files({ te: lines('include "g" as g'), g: lines('include "h" as h'), h: lines('x(void)') });
    const ds = loadCatalogUnchecked('te', fs).diagnostics;
    expect(ds.map(at)).toEqual(['E_INCLUDE@g:1:1']);
    expect(ds[0]!.message).toContain('nested guest');
  });

  it('reports overlapping pinned ranges at the later include', () => {
    const fs = files({
      te: lines('include "a" as a base 0x9000000000000000', 'include "b" as b base 0x9000000000000001'),
      a: lines('a1(void)', 'a2(void)'),
      b: lines('b1(void)'),
    });
    const ds = loadCatalogUnchecked('te', fs).diagnostics;
    expect(ds.map(at)).toEqual(['E_ID_RANGE@te:2:1']);
    expect(ds[0]!.message).toContain("'a'");
  });

  it('reports a pinned range that overlaps a computed one', () => {
    const fs = files({ te: lines('include "a" as a', 'include "b" as b base 0x8000000000000001'), a: lines('a1(void)', 'a2(void)'), b: lines('b1(void)') });
    expect(loadCatalogUnchecked('te', fs).diagnostics.map(at)).toEqual(['E_ID_RANGE@te:2:1']);
  });

  it('reports a pinned base outside the guest window, or on a reserved id, with the chain', () => {
    const fs = files({
      te: lines('include "mid"'),
      mid: lines('include "a" as a base 0x10', 'include "b" as b base 0xfffffffffffffffe'),
      a: lines('a1(void)'),
      b: lines('b1(void)'),
    });
    const ds = loadCatalogUnchecked('te', fs).diagnostics;
    expect(ds.map(at)).toEqual(['E_ID_RANGE@mid:1:1', 'E_ID_RANGE@mid:2:1']);
    expect(ds.map(chain)).toEqual([['te:1:1'], ['te:1:1']]);
  });

  it('gives parse faults in included files their chain', () => {
    const ds = loadCatalogUnchecked('te', files({ te: lines('include "x"'), x: lines('bad(hwaddr a)') })).diagnostics;
    expect(ds.map(at)).toEqual(['E_TYPE@x:1:5']);
    expect(chain(ds[0]!)).toEqual(['te:1:1']);
  });
});

describe('loadCatalog: checked and unchecked', () => {
  const bad = files({ te: lines('a()', 'include "x"'), x: lines('b(hwaddr h)', 'c(int x) "%m"') });

  it('throws a TraceError with the first error rendered, the count of the others, and all diagnostics', () => {
    let caught: unknown;
    try {
      loadCatalog('te', bad);
    } catch (err) {
      caught = err;
    }
    expect(isTraceError(caught, 'E_PARSE')).toBe(true);
    expect((caught as Error).message).toBe("te:1:3: Empty argument (did you forget to use 'void'?) (and 2 more errors)");
    expect(diagnosticsOf(caught)?.map(at)).toEqual(['E_PARSE@te:1:3', 'E_TYPE@x:1:3', 'E_FORMAT@x:2:11']);
  });

  it('returns every diagnostic unchecked', () => {
    expect(loadCatalogUnchecked('te', bad).diagnostics).toHaveLength(3);
  });

  it('keeps warnings in a checked catalog', () => {
    const c = loadCatalog('te', files({ te: lines('a(int x) junk "%d"') }));
    expect(c.diagnostics.map(at)).toEqual(['W_IGNORED_TEXT@te:1:10']);
    expect(errors(c.diagnostics)).toEqual([]);
  });

  it('builds from in-memory text and reads its includes relative to the given name', () => {
    const fs = files({ 'dir/sub': lines('b(void)') });
    const c = catalogFromText(lines('a(void)', 'include "sub"'), 'dir/te', fs);
    expect(names(c.sources[0]!.events)).toEqual(['a', 'b']);
    expect(fs.read).toEqual([resolve('dir/sub')]);
    expect(() => catalogFromText('a()\n', 'mem')).toThrow(/^mem:1:3: Empty argument/);
  });
});

describe('loadCatalog: files on disk', () => {
  it('reads files as latin1, so each byte of a format is one char', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitrace-catalog-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'trace-events'), 'include "sub/trace-events" as sub\n');
      writeFileSync(join(dir, 'sub', 'trace-events'), Buffer.from([...Buffer.from('x(int v) "caf'), 0xe9, ...Buffer.from(' %d"\n')]));
      const c = loadCatalog(join(dir, 'trace-events'));
      const format = c.sources[1]!.events[0]!.format;
      expect(format).toBe('"caf\xe9 %d"');
      expect(format.length).toBe(9); // " c a f é space % d "
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
