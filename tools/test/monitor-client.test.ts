// `unitrace monitor` against a running `unitrace run --qmp`, both child processes, the monitor driven through a
// stdin pipe: HMP commands, their QEMU output, Ctrl-D leaving the machine up, and `quit` ending both.
import { spawn } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startUnitrace, type UnitraceChild } from './fixtures/run/child.js';
import { BIN, tempDir } from './support/trace-files.js';

const tmp = tempDir('unitrace-monitor-');
afterAll(() => tmp.cleanup());
const children: UnitraceChild[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill();
});

/** Runs `unitrace monitor ADDRESS` with `input` on its stdin, then end of input. */
function monitor(address: string, input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'monitor', address], { cwd: tmp.dir });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function machine(name: string): Promise<{ run: UnitraceChild; address: string }> {
  const address = `unix:${tmp.path(name)}`;
  const run = startUnitrace(['run', '-S', '--qmp', address, '--backend', 'stderr', '--backend', 'simple', '--trace', 'kernel_*'], tmp.dir);
  children.push(run);
  await run.waitFor(/^unitrace: QMP listening on /);
  return { run, address };
}

describe('unitrace monitor', { timeout: 120_000 }, () => {
  it('runs HMP commands over QMP with QEMU output; quit stops the machine and ends both processes', async () => {
    const { run, address } = await machine('m1.sock');
    const r = await monitor(address, 'info status\ninfo trace-events kernel_t*\ntrace-event kernel_timer off\ninfo trace-events kernel_timer\ntrace-event nosuch on\ntrace-file\nquit\n');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('VM status: paused (prelaunch)\n');
    // Reverse catalog order, as QEMU prints it.
    expect(r.stdout).toContain('kernel_task_work : state 1\nkernel_task_switch : state 1\nkernel_timer : state 1\n');
    expect(r.stdout).toContain('kernel_timer : state 0\n');
    expect(r.stdout).toContain('unknown event "nosuch"\n');
    // The simple backend is attached (the run's default), so trace-file exists and names its file.
    expect(r.stdout).toMatch(/Trace file "trace-\d+" on\.\n/);
    expect(r.stdout).toMatch(/^unitrace-[\d.]+ monitor on unix:.* - type 'help' for more information\n\(qemu\) /);
    expect(await run.exited).toBe(0);
    expect(run.lines).toContainEqual(expect.stringMatching(/^unitrace: guest stopped by quit after 0 exits /));
  });

  it('Ctrl-D (end of input) leaves the prompt and the machine running; a second monitor still reaches it', async () => {
    const { run, address } = await machine('m2.sock');
    const first = await monitor(address, 'cont\n');
    expect(first.status).toBe(0);
    // With a monitor the run outlives its guest, as QEMU does: it is still up after the kernel halted.
    await run.waitFor(/^kernel_halt halt with code 0 after 6 ticks$/);
    const second = await monitor(address, 'info status\nq\n');
    expect(second.stdout).toContain('VM status: running\n');
    expect(await run.exited).toBe(0);
    expect(run.lines).toContainEqual(expect.stringMatching(/^unitrace: guest halted with code 0 after \d+ exits/));
  });

  it('an address nobody listens on is a one-line error, status 1', async () => {
    const r = await monitor(`unix:${tmp.path('nobody.sock')}`, '');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^unitrace: cannot connect to unix:.*nobody\.sock: [^\n]+\n$/);
  });
});
