// `-trace events=FILE` (spec §4.2), including our documented differences at line ends and long lines.
import { describe, expect, it } from 'vitest';
import { catalogOf, off } from './catalog-fixture.js';
import { splitEventsFile } from './events-file.js';
import { createRegistry } from './registry.js';

function qemu() {
  const r = createRegistry(
    catalogOf({ name: 'host', events: ['qemu_memalign', 'qemu_vmalloc', off('qxl_io_write_vga'), 'virtio_notify'] }),
  );
  const enabled = () => Array.from({ length: r.size }, (_, i) => r.event(i).decl.name).filter((_, i) => r.state[i]);
  return { r, enabled };
}

const warning = (message: string, line: number, file = 'events.txt') => ({
  severity: 'warning',
  code: 'W_EVENTS_FILE',
  message,
  location: { file, line },
});

describe('splitEventsFile', () => {
  it('skips empty lines and `#` comments, numbering every line', () => {
    expect(splitEventsFile('a\n\n# note\nb\n')).toEqual([
      { line: 1, text: 'a' },
      { line: 4, text: 'b' },
    ]);
    expect(splitEventsFile('')).toEqual([]);
    expect(splitEventsFile('\n\n')).toEqual([]);
  });

  it('trims nothing: `#` counts only as the first character, and spaces stay in the pattern', () => {
    expect(splitEventsFile(' # not a comment\n\tx \n')).toEqual([
      { line: 1, text: ' # not a comment' },
      { line: 2, text: '\tx ' },
    ]);
  });

  it('keeps the last character of a last line without newline (QEMU would chop it)', () => {
    expect(splitEventsFile('a\nb')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
    ]);
  });

  it('strips `\\r\\n` whole (QEMU would keep the `\\r`), but a `\\r` not before `\\n` stays', () => {
    expect(splitEventsFile('a\r\n\r\nb\r\nc\r')).toEqual([
      { line: 1, text: 'a' },
      { line: 3, text: 'b' },
      { line: 4, text: 'c\r' },
    ]);
    expect(splitEventsFile('a\rb\n')).toEqual([{ line: 1, text: 'a\rb' }]);
  });

  it('keeps a long line whole (QEMU splits lines at 1023 bytes)', () => {
    const long = `${'x'.repeat(1500)}*`;
    expect(splitEventsFile(`${long}\n`)).toEqual([{ line: 1, text: long }]);
  });
});

describe('applyEventsFile', () => {
  it('enables, disables and globs line by line', () => {
    const { r, enabled } = qemu();
    const diagnostics = r.applyEventsFile('# all of qemu\nqemu_*\n-qemu_vmalloc\nvirtio_notify', 'events.txt');
    expect(diagnostics).toEqual([]);
    expect(enabled()).toEqual(['qemu_memalign', 'virtio_notify']);
  });

  it("returns QEMU's warnings as W_EVENTS_FILE diagnostics at FILE:LINE", () => {
    const { r, enabled } = qemu();
    const diagnostics = r.applyEventsFile('qemu_memalign\n\nnope\nqxl_io_write_vga\n-gone\n', 'events.txt');
    expect(diagnostics).toEqual([
      warning("trace event 'nope' does not exist", 3),
      warning("trace event 'qxl_io_write_vga' is not traceable", 4),
      warning("trace event 'gone' does not exist", 5),
    ]);
    expect(enabled()).toEqual(['qemu_memalign']);
  });

  it('applies a Windows-edited file (QEMU would look for `name\\r`)', () => {
    const { r, enabled } = qemu();
    expect(r.applyEventsFile('qemu_memalign\r\nvirtio_notify\r\n', 'win.txt')).toEqual([]);
    expect(enabled()).toEqual(['qemu_memalign', 'virtio_notify']);
  });

  it('applies a last line without newline in full (QEMU would apply `qemu_memalig`)', () => {
    const { r, enabled } = qemu();
    expect(r.applyEventsFile('qemu_memalign', 'events.txt')).toEqual([]);
    expect(enabled()).toEqual(['qemu_memalign']);
  });

  it('does not trim: a pattern with a trailing space matches nothing', () => {
    const { r } = qemu();
    expect(r.applyEventsFile('qemu_memalign \n', 'e')).toEqual([
      warning("trace event 'qemu_memalign ' does not exist", 1, 'e'),
    ]);
    expect(r.enabledCount).toBe(0);
  });

  it('turns a `help` or `?` line into a warning, listing nothing and going on with the next lines', () => {
    const { r, enabled } = qemu();
    const diagnostics = r.applyEventsFile('help\n?\nqemu_vmalloc\n', 'events.txt');
    expect(diagnostics.map((d) => [d.severity, d.code, d.location.line])).toEqual([
      ['warning', 'W_EVENTS_FILE', 1],
      ['warning', 'W_EVENTS_FILE', 2],
    ]);
    expect(diagnostics[0].message).toContain("'help'");
    expect(diagnostics[1].message).toContain("'?'");
    expect(enabled()).toEqual(['qemu_vmalloc']);
  });

  it('tells listeners once for the whole file', () => {
    const { r } = qemu();
    const seen: number[][] = [];
    r.onChange((c) => seen.push([...c.indices]));
    r.applyEventsFile('virtio_notify\nqemu_memalign\nnope\n', 'events.txt');
    expect(seen).toEqual([[0, 3]]);
  });
});
