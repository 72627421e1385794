// `unitrace events` in process: wire ids per source, QEMU's -trace semantics, aligned columns.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/trace-files.js';
import { eventsArgs, runEvents } from './events.js';
import { parseTraceOption } from './trace-option.js';

const tmp = tempDir('unitrace-events-');
afterAll(() => tmp.cleanup());

writeFileSync(tmp.path('host'), 'dev_reset(int how) "how %d"\ndev_irq(int line, bool level) "line %d level %d"\ndisable dev_debug(void) ""\ninclude "fw" as firmware\ninclude "os" as kernel\n');
writeFileSync(tmp.path('fw'), 'fw_boot(uint32_t stage) "stage %u"\nfw_idle(void)\n');
writeFileSync(tmp.path('os'), 'os_syscall(unsigned nr) "nr %u"\n');

function list(args: (string | undefined)[], trace: string[] = []): { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  expect(runEvents(args, { trace }, (l) => lines.push(l), (w) => warnings.push(w))).toBe(0);
  return { lines, warnings };
}

const cells = (line: string): string[] => line.split(/ {2,}/);

describe('events', () => {
  it('shows host ids from 0 in decimal and each guest range from 0x8000000000000000 + k * 2^32 in hex', () => {
    const { lines } = list([tmp.path('host')]);
    expect(lines.map((l) => cells(l).slice(0, 4).join(' '))).toEqual([
      'host 0 disabled dev_reset',
      'host 1 disabled dev_irq',
      'host 2 unavailable dev_debug',
      'firmware 0x8000000000000000 disabled fw_boot',
      'firmware 0x8000000000000001 disabled fw_idle',
      'kernel 0x8000000100000000 disabled os_syscall',
    ]);
  });

  it('aligns every column but the last and ends no line with spaces', () => {
    const { lines } = list([tmp.path('host')]);
    const nameColumn = lines.map((l) => l.indexOf(cells(l)[3]));
    expect(new Set(nameColumn).size).toBe(1);
    expect(lines[0]).toBe('host      0                   disabled     dev_reset   "how %d"');
    expect(lines.find((l) => l.includes('fw_idle'))).toMatch(/fw_idle$/);
  });

  it('applies --trace in order with QEMU semantics: globs, - to disable, first match for a plain name', () => {
    const { lines, warnings } = list([tmp.path('host')], ['dev_*', '-dev_irq', 'fw_boot', 'enable=os_*', 'dev_debug', 'nothing']);
    expect(lines.map((l) => `${cells(l)[3]}=${cells(l)[2]}`)).toEqual([
      'dev_reset=enabled',
      'dev_irq=disabled',
      'dev_debug=unavailable',
      'fw_boot=enabled',
      'fw_idle=disabled',
      'os_syscall=enabled',
    ]);
    // spec §4.1: a plain name that is statically disabled, or matches nothing, is a warning.
    expect(warnings).toEqual(["warning: trace event 'dev_debug' is not traceable", "warning: trace event 'nothing' does not exist"]);
  });

  it('applies an events file given with events=FILE', () => {
    writeFileSync(tmp.path('events.txt'), '# comment\nfw_*\n-fw_idle\n');
    const { lines } = list([tmp.path('host')], [`events=${tmp.path('events.txt')}`]);
    expect(lines.filter((l) => l.includes(' enabled ')).map((l) => cells(l)[3])).toEqual(['fw_boot']);
  });

  it('filters by a glob pattern', () => {
    const { lines } = list([tmp.path('host'), '*_i??*']);
    expect(lines.map((l) => cells(l)[3])).toEqual(['dev_irq', 'fw_idle']);
  });

  it('takes one argument as the catalog when it is a file, else as a pattern of the default catalog', () => {
    expect(eventsArgs([tmp.path('host'), undefined])).toEqual({ catalog: tmp.path('host'), pattern: undefined });
    const demo = eventsArgs(['fw_*', undefined]);
    expect(demo.pattern).toBe('fw_*');
    expect(demo.catalog).toMatch(/trace-events$/);
    expect(demo.catalog).not.toBe('fw_*');
  });

  it('parses QemuOpts values of --trace', () => {
    expect(parseTraceOption('a,,b*')).toEqual({ enable: 'a,b*' });
    expect(parseTraceOption('enable=x,events=f,file=t')).toEqual({ enable: 'x', events: 'f', file: 't' });
    expect(() => parseTraceOption('x,bogus=1')).toThrow(/unknown key 'bogus'/);
    expect(() => parseTraceOption('x,y')).toThrow(/not key=value/);
  });
});
