// Colour: a terminal gets ANSI codes (dim stamp, bold name, a hue per guest source), a pipe or file never does.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createStderrSink, type ColorMode } from '../src/index.js';
import { testTracer } from './support/catalog.js';
import { createStreamDouble, type StreamDouble } from './support/stream-double.js';

const ESC = '\x1b';
const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-color-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

async function lines(dest: { stream: StreamDouble } | { file: string }, color: ColorMode, timestamp: 'none' | 'iso' = 'none'): Promise<boolean> {
  const { tracer, clock } = testTracer();
  const sink = createStderrSink({ ...dest, color, timestamp, epochOffsetUs: Date.UTC(2025, 0, 2, 3, 4, 5) * 1000 - 1000 }, { onError: () => {}, pid: 9, clock });
  tracer.addSink(sink);
  tracer.emit(tracer.registry.lookup('ref_void')!.index, []);
  tracer.emit(tracer.registry.lookup('ref_guest_step')!.index, [1, 'power-on']);
  tracer.emit(tracer.registry.lookup('ref_other_tick')!.index, []);
  tracer.dropped(2);
  await tracer.close();
  return sink.color;
}

describe('colour', () => {
  it('a TTY in auto mode: bold host names, a hue per guest source, a yellow notice, plain arguments', async () => {
    const tty = createStreamDouble({ isTTY: true });
    expect(await lines({ stream: tty }, 'auto')).toBe(true);
    expect(tty.text()).toBe(
      `${ESC}[1mref_void${ESC}[22;39m \n` +
        `${ESC}[1;36mref_guest_step${ESC}[22;39m step 1 power-on\n` +
        `${ESC}[1;35mref_other_tick${ESC}[22;39m tick\n` +
        `${ESC}[33munitrace: dropped 2 events${ESC}[39m\n`,
    );
  });

  it('dims the timestamp on a TTY (the first record falls on a whole second: no fraction)', async () => {
    const tty = createStreamDouble({ isTTY: true });
    await lines({ stream: tty }, 'auto', 'iso');
    expect(tty.text().split('\n')[0]).toBe(`${ESC}[2m2025-01-02T03:04:05Z${ESC}[22m ${ESC}[1mref_void${ESC}[22;39m `);
  });

  it('a pipe or a file in auto mode gets no escape byte at all', async () => {
    const pipe = createStreamDouble({ isTTY: false });
    expect(await lines({ stream: pipe }, 'auto')).toBe(false);
    expect(pipe.text()).not.toContain(ESC);
    expect(pipe.text()).toBe('ref_void \nref_guest_step step 1 power-on\nref_other_tick tick\nunitrace: dropped 2 events\n');
    const file = join(dir, 'auto.log');
    expect(await lines({ file }, 'auto')).toBe(false);
    expect(readFileSync(file, 'latin1')).toBe(pipe.text());
  });

  it('always colours a pipe; never leaves a TTY plain', async () => {
    const pipe = createStreamDouble({ isTTY: false });
    expect(await lines({ stream: pipe }, 'always')).toBe(true);
    expect(pipe.text()).toContain(`${ESC}[1mref_void`);
    const tty = createStreamDouble({ isTTY: true });
    expect(await lines({ stream: tty }, 'never')).toBe(false);
    expect(tty.text()).not.toContain(ESC);
  });

  it('auto honours NO_COLOR on a TTY', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const tty = createStreamDouble({ isTTY: true });
    expect(await lines({ stream: tty }, 'auto')).toBe(false);
    expect(tty.text()).not.toContain(ESC);
  });
});

const child = fileURLToPath(new URL('./fixtures/color-child.ts', import.meta.url));
const nodeArgs = ['--conditions=@unitrace/source', '--import', 'tsx', child];
const havePty = ((): boolean => {
  try {
    execFileSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!havePty)('colour on a real pseudo-terminal', () => {
  it('fd 2 on a pty is coloured; the same program with fd 2 on a pipe is not', () => {
    const onPty = spawnSync('python3', ['-c', 'import pty,sys; pty.spawn(sys.argv[1:])', process.execPath, ...nodeArgs], {
      encoding: 'latin1',
      timeout: 30_000,
    });
    // The terminal turns \n into \r\n; the line itself is the sink's.
    expect(onPty.stdout).toContain(`${ESC}[33munitrace: dropped 1 event${ESC}[39m\r\n`);
    expect(onPty.stdout).toContain('color=true');
    const onPipe = spawnSync(process.execPath, nodeArgs, { encoding: 'latin1', timeout: 30_000 });
    expect(onPipe.stderr).toBe('unitrace: dropped 1 event\n');
    expect(onPipe.stdout).toBe('color=false\n');
  }, 60_000);
});
