// `unitrace run --monitor stdio`: an HMP prompt on the run's own stdin/stdout, driven through a pipe. The run lasts
// until `quit` (or the end of input), as QEMU's does, even after the guest halted.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startUnitrace, type UnitraceChild } from './fixtures/run/child.js';
import { tempDir } from './support/trace-files.js';

const tmp = tempDir('unitrace-run-hmp-');
afterAll(() => tmp.cleanup());
const children: UnitraceChild[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill();
});

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('unitrace run --monitor stdio', { timeout: 120_000 }, () => {
  it('serves HMP on stdin/stdout: -S waits for cont, the run outlives the guest, quit ends it', async () => {
    const run = startUnitrace(['run', '-S', '--monitor', 'stdio', '--backend', 'stderr', '--trace', 'kernel_halt'], tmp.dir);
    children.push(run);
    run.child.stdin.write('info status\n');
    await until(() => run.stdout().includes('VM status: paused (prelaunch)\n'));
    expect(run.stdout()).toMatch(/^Unitrace monitor - type 'help' for more information\n\(qemu\) /);
    run.child.stdin.write('cont\n');
    await run.waitFor(/^kernel_halt halt with code 0 after 6 ticks$/);
    run.child.stdin.write('info status\n');
    await until(() => run.stdout().includes('VM status: running\n'));
    run.child.stdin.write('quit\n');
    expect(await run.exited).toBe(0);
    expect(run.lines).toContainEqual(expect.stringMatching(/^unitrace: guest halted with code 0 after \d+ exits/));
  });

  it('the end of its input is a quit', async () => {
    const run = startUnitrace(['run', '-S', '--monitor', 'stdio', '--backend', 'stderr'], tmp.dir);
    children.push(run);
    run.child.stdin.end('info trace-events kernel_halt\n');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('kernel_halt : state 1\n');
    expect(run.lines).toContainEqual(expect.stringMatching(/^unitrace: guest stopped by quit after 0 exits/));
  });
});
