// The HMP prompt on a terminal (a pseudo-terminal double: streams that say they are TTYs): tab completion of
// commands and event names, history with the up arrow, Ctrl-D; and `unitrace monitor`'s completion from the event
// names it fetched over QMP from an in-process demo machine.
import { PassThrough } from 'node:stream';
import { createRegistry, createTracer, loadCatalog } from '@unitrace/core';
import { type QmpServer, startQmpServer } from '@unitrace/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { runMonitor } from '../src/commands/monitor.js';
import { demoCatalogPath } from '../src/demo/demo-files.js';
import { createDemoMachine } from '../src/demo/demo-machine.js';
import { HMP_PROMPT, runHmpPrompt } from '../src/demo/hmp-prompt.js';
import { createMachineMonitor } from '@unitrace/emulator';
import { tempDir } from './support/trace-files.js';

/** A terminal double: what is typed goes in `input`, what readline draws comes out of `output`. */
function terminal(): { input: PassThrough; output: PassThrough; screen: () => string; type: (keys: string) => void } {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 });
  let screen = '';
  output.setEncoding('utf8').on('data', (s: string) => (screen += s));
  return { input, output, screen: () => screen, type: (keys) => void input.write(keys) };
}

const tick = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function keys(t: ReturnType<typeof terminal>, ...chunks: string[]): Promise<void> {
  for (const chunk of chunks) {
    t.type(chunk);
    await tick(chunk === '\r' || chunk.endsWith('\r') ? 150 : 30);
  }
}

describe('the HMP prompt', () => {
  it('completes the last word with tab, recalls history with the up arrow, and ends on Ctrl-D', async () => {
    const t = terminal();
    const executed: string[] = [];
    const candidates = ['kernel_task_switch', 'kernel_task_work', 'kernel_timer'];
    const done = runHmpPrompt({
      input: t.input,
      output: t.output,
      execute: async (line) => {
        executed.push(line);
        return `ran ${line}\n`;
      },
      complete: (line) => candidates.filter((c) => c.startsWith(line.split(' ').pop() ?? '')),
      banner: 'hello',
    });
    // readline completes only a tab typed alone (a pasted chunk never completes), so keys go in one by one.
    // A single candidate is completed with a space after it, as in QEMU.
    await keys(t, 'trace-event kernel_ti', '\t', 'off\r');
    // Two candidates: the common prefix `kernel_task_` is inserted, then one letter more picks one.
    await keys(t, 'trace-event kernel_task', '\t', 'w', '\t', 'on\r');
    await keys(t, '\x1b[A', '\x1b[A', '\r');
    t.type('\x04');
    expect(await done).toBe('eof');
    expect(executed).toEqual(['trace-event kernel_timer off', 'trace-event kernel_task_work on', 'trace-event kernel_timer off']);
    expect(t.screen()).toContain('hello\n');
    expect(t.screen()).toContain(HMP_PROMPT);
    expect(t.screen()).toContain('ran trace-event kernel_task_work on\n');
  });

  it('ends after quit, without waiting for more input', async () => {
    const t = terminal();
    const done = runHmpPrompt({ input: t.input, output: t.output, execute: async () => '', complete: () => [] });
    t.type('quit\r');
    expect(await done).toBe('quit');
  });
});

describe('unitrace monitor completion', () => {
  const tmp = tempDir('unitrace-monitor-prompt-');
  let server: QmpServer | undefined;
  afterEach(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('completes event names it fetched over QMP, and runs the command on the machine', async () => {
    const registry = createRegistry(loadCatalog(demoCatalogPath()));
    const tracer = createTracer({ registry, exitFlush: false });
    const { machine, channels } = createDemoMachine({ tracer, startPaused: true });
    server = await startQmpServer(createMachineMonitor(machine, { channels }), { unix: tmp.path('qmp.sock') });
    const t = terminal();
    const stderr = new PassThrough();
    const done = runMonitor(`unix:${tmp.path('qmp.sock')}`, {}, { stdin: t.input, stdout: t.output, stderr });
    await tick(300);
    // fw_kernel_load and fw_kernel_loaded share the prefix fw_kernel_load.
    await keys(t, 'trace-event fw_kernel_lo', '\t', 'ed on\r');
    await keys(t, 'info trace-ev', '\t', 'fw_kernel_lo', '\t', '\r');
    await keys(t, 'info trace-events fw_kernel_loade', '\t', '\r');
    await tick(300);
    t.type('\x04');
    expect(await done).toBe(0);
    expect(registry.getState(registry.lookup('fw_kernel_loaded')!.index)).toBe('enabled');
    expect(registry.getState(registry.lookup('fw_kernel_load')!.index)).toBe('disabled');
    expect(t.screen()).toContain('fw_kernel_load : state 0\n');
    expect(t.screen()).toContain('fw_kernel_loaded : state 1\n');
    await machine.quit();
    await tracer.close();
  });
});
