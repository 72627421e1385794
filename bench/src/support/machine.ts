// The machine a run was made on, as printed above the table and recorded in BENCHMARKS.md.
import { cpus, loadavg, release, totalmem, availableParallelism } from 'node:os';

/** What the table's header says about the machine. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly loadStart: string;
  loadEnd: string;
  readonly date: string;
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** Describes this machine now (load average at start; `loadEnd` is filled in at the end). */
export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `Linux ${release()}`,
    node: process.version,
    loadStart: loadAverage(),
    loadEnd: '',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
