import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './decl.js';
import { parseTraceEvents } from './parse-trace-events.js';

const parse = (text: string) => parseTraceEvents(text, 'te');

/** The single diagnostic of a one-line file, as [code, line, column]. */
function only(line: string): [string, number | undefined, number | undefined] {
  const { diagnostics } = parse(`${line}\n`);
  expect(diagnostics, line).toHaveLength(1);
  const d = diagnostics[0]!;
  return [d.code, d.location.line, d.location.column];
}

function where(d: Diagnostic): string {
  return `${d.code}@${d.location.line}:${d.location.column}`;
}

describe('parseTraceEvents: lines that are skipped', () => {
  it('skips blank and whitespace-only lines and # comments, even indented ones', () => {
    const r = parse('\n   \n# comment\n   # indented comment\nfoo(void)\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.events.map((e) => [e.name, e.location.line, e.location.column])).toEqual([['foo', 5, 1]]);
  });

  it('does not treat # after the start of a line as a comment', () => {
    expect(parse('kvm_x(int slot) "Slot#%d"\n').events[0]!.format).toBe('"Slot#%d"');
    // The format runs to the end of the line, so a trailing "# comment" is format text the tokenizer refuses.
    expect(parse('kvm_x(int slot) "Slot#%d" # not a comment\n').diagnostics.map(where)).toEqual(['E_FORMAT@1:27']);
  });
});

describe('parseTraceEvents: the event line', () => {
  it('reads properties, name, arguments and the verbatim format', () => {
    const r = parse('disable foo_bar(uint64_t addr, const char *name) "addr 0x%" PRIx64 " %s"\n');
    expect(r.diagnostics).toEqual([]);
    const e = r.events[0]!;
    expect(e).toMatchObject({ name: 'foo_bar', properties: ['disable'], disabled: true, format: '"addr 0x%" PRIx64 " %s"' });
    expect(e.args.map((a) => [a.type.text, a.name, a.type.kind])).toEqual([
      ['uint64_t', 'addr', 'int'],
      ['const char *', 'name', 'string'],
    ]);
    expect(e.location).toEqual({ file: 'te', line: 1, column: 9 });
  });

  it('ends the argument list at the first ), so parentheses in the format are fine', () => {
    const e = parse('m(void *p, const char *f, const int l) "mutex %p (%s:%d)"\n').events[0]!;
    expect(e.format).toBe('"mutex %p (%s:%d)"');
    expect(e.args).toHaveLength(3);
  });

  it('splits a starred argument at the last star and other arguments at the last space run', () => {
    const e = parse('v(char **obj, char* s, unsigned  int n, const char *  t) ""\n').events[0]!;
    expect(e.args.map((a) => [a.type.text, a.name])).toEqual([
      ['char **', 'obj'],
      ['char*', 's'],
      ['unsigned  int', 'n'],
      ['const char *', 't'],
    ]);
    expect(e.args[0]!.type.kind).toBe('pointer');
  });

  it('gives (void) no arguments and skips void pieces anywhere', () => {
    expect(parse('a(void)\n').events[0]!.args).toEqual([]);
    expect(parse('b(void, int x, void)\n').events[0]!.args.map((a) => a.name)).toEqual(['x']);
  });

  it('allows a missing format, and a format glued to ) or after several spaces', () => {
    const r = parse('a(void)\nb(int x)"%d"\nc(int x)   "%d"\n');
    expect(r.events.map((e) => e.format)).toEqual(['', '"%d"', '"%d"']);
  });

  it('keeps spaces after the closing quote in the format, as QEMU does', () => {
    expect(parse('a(int x) "%d"  \n').events[0]!.format).toBe('"%d"  ');
  });

  it('tolerates indentation of two or more whitespace characters (absorbed by the property group)', () => {
    const r = parse('  foo(void)\n\t\tbar(void)\n  disable baz(void)\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.events.map((e) => [e.name, e.location.column, e.disabled])).toEqual([
      ['foo', 3, false],
      ['bar', 3, false],
      ['baz', 11, true],
    ]);
  });

  it('reads a name with upper-case letters and digits', () => {
    expect(parse('scsi_cmd_SAI_16(void) "x"\n').events[0]!.name).toBe('scsi_cmd_SAI_16');
  });
});

describe('parseTraceEvents: errors, each with line and column', () => {
  it('reports a file without a final newline at the end of its last line, and still parses every line', () => {
    const r = parse('a(void)\nb(void) "x"');
    expect(r.events.map((e) => e.name)).toEqual(['a', 'b']);
    expect(r.diagnostics.map(where)).toEqual(['E_PARSE@2:12']);
    expect(r.diagnostics[0]!.message).toContain('does not end with a new line');
  });

  it('reports an unknown property at the property, naming removed ones', () => {
    expect(only('vcpu foo(void)')).toEqual(['E_PARSE', 1, 1]);
    expect(only('disable tcg foo(void)')).toEqual(['E_PARSE', 1, 9]);
    expect(parse('vcpu foo(void)\n').diagnostics[0]!.message).toContain('removed in QEMU 9.1');
  });

  it("reports an empty argument at the place it is missing (QEMU's 'void' advice)", () => {
    expect(only('foo()')).toEqual(['E_PARSE', 1, 5]);
    expect(only('foo(int a,, int b)')).toEqual(['E_PARSE', 1, 11]);
    expect(only('foo(int a, )')).toEqual(['E_PARSE', 1, 12]);
    expect(parse('foo()\n').diagnostics[0]!.message).toBe("Empty argument (did you forget to use 'void'?)");
  });

  it('reports a type off the whitelist at the type, with E_TYPE', () => {
    expect(only('foo(int a, hwaddr addr)')).toEqual(['E_TYPE', 1, 12]);
    expect(only('foo(struct Foo *s)')).toEqual(['E_TYPE', 1, 5]);
    expect(only('foo(const MyType *t)')).toEqual(['E_TYPE', 1, 11]);
    expect(only('foo(double d)')).toEqual(['E_TYPE', 1, 5]);
    expect(parse('foo(float f)\n').diagnostics[0]!.message).toContain("should be declared as 'void *'");
  });

  it('reports void used as a value type and impossible type combinations', () => {
    expect(only('foo(void x)')).toEqual(['E_TYPE', 1, 5]);
    expect(only('foo(int a, short long b)')).toEqual(['E_TYPE', 1, 12]);
  });

  it('reports more than 10 arguments at the 11th', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `int a${i}`).join(', ');
    expect(parse(`foo(${ten})\n`).diagnostics).toEqual([]);
    expect(only(`foo(${ten}, int a10)`)).toEqual(['E_PARSE', 1, 5 + ten.length + 2]);
  });

  it('reports an argument without a name or with a name that is not an identifier', () => {
    expect(only('foo(int)')).toEqual(['E_PARSE', 1, 5]);
    expect(only('foo(char *)')).toEqual(['E_PARSE', 1, 11]);
    expect(only('foo(int 3x)')).toEqual(['E_PARSE', 1, 9]);
  });

  it('reports %m at the %m', () => {
    expect(only('foo(int e) "failed: %m"')).toEqual(['E_FORMAT', 1, 21]);
  });

  it('reports a format ending with \\n" at the \\n, and a \\n elsewhere at the first one', () => {
    expect(only('foo(int x) "%d\\n"')).toEqual(['E_FORMAT', 1, 15]);
    expect(only('foo(int x) "a\\nb %d"')).toEqual(['E_FORMAT', 1, 14]);
    expect(parse('foo(int x) "%d\\n"\n').diagnostics[0]!.message).toContain('must not end with a newline');
  });

  it('reports a format the tokenizer refuses at the offending text', () => {
    expect(only('foo(int x) "%d" junk')).toEqual(['E_FORMAT', 1, 17]);
    expect(only('foo(long x) "%" TARGET_FMT_lx')).toEqual(['E_FORMAT', 1, 17]);
    expect(only('foo(int x) "%d')).toEqual(['E_FORMAT', 1, 12]);
  });

  it('reports lines that do not match the event pattern with E_PARSE at the fault', () => {
    expect(only('foo (int x) "%d"')).toEqual(['E_PARSE', 1, 4]);
    expect(only('foo(int x "%d"')).toEqual(['E_PARSE', 1, 4]);
    expect(only('just some words')).toEqual(['E_PARSE', 1, 1]);
    expect(only('foo-bar(int x)')).toEqual(['E_PARSE', 1, 4]);
    expect(only('(int x)')).toEqual(['E_PARSE', 1, 1]);
  });

  it('refuses exactly one leading space or tab, which QEMU refuses too (the property group needs two characters)', () => {
    expect(only(' foo(void)')).toEqual(['E_PARSE', 1, 1]);
    expect(only('\tfoo(void)')).toEqual(['E_PARSE', 1, 1]);
  });

  it('reports a character that is not a byte', () => {
    expect(only('foo(void) "caf\u20ac"')).toEqual(['E_PARSE', 1, 15]);
  });

  it('reports every error of the file and keeps only the clean events', () => {
    const r = parse(['ok1(void)', 'bad1()', '# c', 'bad2(hwaddr a, float b) "%m"', 'ok2(int x) "%d"', 'x (void)', ''].join('\n'));
    expect(r.events.map((e) => e.name)).toEqual(['ok1', 'ok2']);
    expect(r.diagnostics.map(where)).toEqual(['E_PARSE@2:6', 'E_TYPE@4:6', 'E_TYPE@4:16', 'E_FORMAT@4:26', 'E_PARSE@6:2']);
    for (const d of r.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.message).not.toMatch(/\n|^te:/);
    }
  });
});

describe('parseTraceEvents: text after ) that QEMU ignores', () => {
  it('warns W_IGNORED_TEXT at the text and keeps the event with no format', () => {
    const r = parse('foo(int x) bar "%d"\n');
    expect(r.diagnostics.map((d) => [d.severity, where(d)])).toEqual([['warning', 'W_IGNORED_TEXT@1:12']]);
    expect(r.events[0]!.format).toBe('');
  });
});

describe('parseTraceEvents: include directives', () => {
  it('records plain, guest and pinned includes with the events declared before them', () => {
    const r = parse(['a(void)', 'include "sub/trace-events"', 'b(void)', 'c(void)', 'include "../fw/trace-events" as fw', 'include "x" as k2 base 0x8000000200000000', ''].join('\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.includes).toEqual([
      { path: 'sub/trace-events', location: { file: 'te', line: 2, column: 1 }, eventsBefore: 1 },
      { path: '../fw/trace-events', sourceName: 'fw', location: { file: 'te', line: 5, column: 1 }, eventsBefore: 3 },
      { path: 'x', sourceName: 'k2', base: 0x8000000200000000n, location: { file: 'te', line: 6, column: 1 }, eventsBefore: 3 },
    ]);
    expect(r.events.map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('keeps include( as an event named include', () => {
    const r = parse('include(int x) "%d"\n');
    expect(r.includes).toEqual([]);
    expect(r.events[0]!.name).toBe('include');
  });

  it('reports malformed include lines with E_INCLUDE at the fault', () => {
    for (const [line, column] of [
      ['include', 8],
      ['include trace-events', 9],
      ['include "a', 9],
      ['include ""', 9],
      ['include "a"x', 12],
      ['include "a" with b', 13],
      ['include "a" as', 13],
      ['include "a" as 9lives', 16],
      ['include "a" as fw base', 19],
      ['include "a" as fw base 1234', 24],
      ['include "a" as fw base 0xZZ', 24],
      ['include "a" as fw base 0x10 extra', 29],
      ['include "a" base 0x10', 13],
    ] as const) {
      expect(only(line), line).toEqual(['E_INCLUDE', 1, column]);
    }
  });
});
