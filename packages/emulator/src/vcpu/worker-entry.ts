// The vCPU worker's entry: imports the guest program, waits until the machine runs, runs it, reports how it ended.
import { parentPort, workerData } from 'node:worker_threads';
import type { GuestMain } from '@unitrace/core';
import { attachGuestClock } from './shared-clock.js';
import { HaltSignal } from './cpu-base.js';
import { controlBlockViews, describeGuestError, type WorkerBoot, type WorkerOutcomeMessage } from './exit-protocol.js';
import { WorkerCpu } from './worker-cpu.js';

const boot = workerData as WorkerBoot;
const cpu = new WorkerCpu(controlBlockViews(boot.control), boot.ram, attachGuestClock(boot.clock));

async function run(): Promise<WorkerOutcomeMessage> {
  try {
    const mod = (await import(boot.module)) as { default?: unknown };
    if (typeof mod.default !== 'function') {
      throw new TypeError(`guest module ${boot.module} does not default-export a function (a GuestMain)`);
    }
    const main = mod.default as GuestMain;
    cpu.start();
    // A GuestMain is synchronous; an async one is awaited so that its failures are reported like any other.
    await main(cpu, boot.args);
  } catch (err) {
    if (cpu.haltCode === undefined && !(err instanceof HaltSignal)) {
      return { kind: 'threw', error: describeGuestError(err), exits: cpu.exits };
    }
  }
  if (cpu.haltCode !== undefined) return { kind: 'halted', code: cpu.haltCode, exits: cpu.exits };
  return { kind: 'returned', exits: cpu.exits };
}

parentPort!.postMessage(await run());
