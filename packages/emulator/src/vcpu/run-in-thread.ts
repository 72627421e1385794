// Running a guest program on the caller's thread: import it, wait until the machine runs, call it synchronously.
import type { GuestMain } from '@unitrace/core';
import { HaltSignal, QuitSignal } from './cpu-base.js';
import { describeGuestError } from './exit-protocol.js';
import { InThreadCpu, type InThreadCpuHost } from './in-thread-cpu.js';
import type { GuestOutcome, VcpuEvents, VcpuStats } from './outcome.js';

/** What an in-thread run needs from the machine. */
export interface InThreadRunHost extends InThreadCpuHost {
  /** Resolves true once the machine runs, false if it shut down first. */
  whenRunning(): Promise<boolean>;
  readonly events: VcpuEvents;
}

/** A guest running (or about to run) in-thread. */
export interface InThreadRun {
  stats(): VcpuStats;
  readonly done: Promise<GuestOutcome>;
}

/** Starts an in-thread run of the guest module at `url`. The returned promise never rejects. */
export function runInThread(
  host: InThreadRunHost,
  index: number,
  url: URL,
  args: Readonly<Record<string, unknown>>,
): InThreadRun {
  const cpu = new InThreadCpu(host);
  let state: VcpuStats['state'] = 'starting';
  const finish = (outcome: GuestOutcome): GuestOutcome => {
    state = 'done';
    host.events.ended(index, outcome);
    return outcome;
  };
  const done = (async (): Promise<GuestOutcome> => {
    let main: GuestMain;
    try {
      const mod = (await import(url.href)) as { default?: unknown };
      if (typeof mod.default !== 'function') {
        throw new TypeError(`guest module ${url.href} does not default-export a function (a GuestMain)`);
      }
      main = mod.default as GuestMain;
    } catch (err) {
      return finish({ kind: 'threw', error: describeGuestError(err), exits: 0 });
    }
    if (!(await host.whenRunning())) return finish({ kind: 'terminated', exits: 0 });
    state = 'running';
    host.events.started(index, 'in-thread');
    try {
      await main(cpu, args);
    } catch (err) {
      if (err instanceof QuitSignal && cpu.haltCode === undefined) {
        return finish({ kind: 'terminated', exits: cpu.exits });
      }
      if (cpu.haltCode === undefined && !(err instanceof HaltSignal)) {
        return finish({ kind: 'threw', error: describeGuestError(err), exits: cpu.exits });
      }
    }
    if (cpu.haltCode !== undefined) return finish({ kind: 'halted', code: cpu.haltCode, exits: cpu.exits });
    return finish({ kind: 'returned', exits: cpu.exits });
  })();
  return { stats: () => ({ index, mode: 'in-thread', exits: cpu.exits, state }), done };
}
