// CPU time of the calling thread and of the whole process, in ns, read outside timed loops.
import { readFileSync } from 'node:fs';

/**
 * CPU time of the calling thread in ns (Linux: the first field of /proc/thread-self/schedstat); NaN elsewhere.
 * Node 20 has no per-thread CPU API; a sync read runs on the calling thread, so this is the producer's own time.
 */
export function threadCpuNs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/** CPU time of the whole process (every thread: writer threads, GC helpers) in ns. */
export function processCpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}
