// Figure 2: an enabled host event to backend-simple writing a file (4 integers; one short string), both sink
// modes, against the floor measured in the same run (clock + typed-array stores + fs.writeSync of 64 KiB chunks).
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_LENGTH } from '@unitrace/backend-simple';
import { floorFour, floorStr, type FloorRun } from '../support/floor.js';
import { settle } from '../support/host.js';
import { progress, type BenchOptions } from '../support/options.js';
import { atMost, row, type Row } from '../support/rows.js';
import { simpleRun, type EventKind, type SimpleRun } from '../support/simple-run.js';
import { fmtNs, fmtRate, median, pairedRatio } from '../support/stats.js';
import { writeBenchTrace } from '../support/trace-files.js';

const LABEL: Record<EventKind, string> = { four: '4 integers', str: 'one short string' };
/** The writer thread's default bound, as the rows name it. */
const BOUND = `${DEFAULT_MAX_LENGTH / (1024 * 1024)} MiB`;

/**
 * How figure 2 is timed: CPU time of the thread that traces (and, in sync mode and in the floor, writes), from
 * /proc/thread-self/schedstat, so time that other processes take on this shared machine does not count.
 */
const CPU_NOTE = 'CPU time of the tracing thread, which also writes the file here, as the floor does';
/** How the writer-thread rows are timed. */
const THREAD_NOTE = 'CPU time of the tracing thread alone, against the floor';

/** Runs figure 2 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = o.quick ? 200_000 : 2_000_000;
  const file = join(o.workDir, 'fig2.simpletrace');
  const floorFile = join(o.workDir, 'fig2.floor');
  const pid = process.pid;
  // The floor's file starts with as many bytes as the sink's header and mappings: same offsets, same page alignment.
  await writeBenchTrace(file, 0);
  const prefix = statSync(file).size;
  const floors: Record<EventKind, FloorRun[]> = { four: [], str: [] };
  const syncRuns: Record<EventKind, SimpleRun[]> = { four: [], str: [] };
  const workerRuns: Record<EventKind, SimpleRun[]> = { four: [], str: [] };
  const kinds: EventKind[] = ['four', 'str'];
  // One warm-up round, not counted.
  for (let r = -1; r < o.rounds; r++) {
    for (const kind of kinds) {
      settle();
      const f = kind === 'four' ? floorFour(floorFile, n, pid, prefix) : floorStr(floorFile, n, pid, prefix);
      settle();
      const s = await simpleRun({ file, n, kind, sync: true });
      settle();
      const w = await simpleRun({ file, n, kind, sync: false });
      if (r < 0) continue;
      floors[kind].push(f);
      syncRuns[kind].push(s);
      workerRuns[kind].push(w);
      progress('2', `round ${r + 1}/${o.rounds} ${kind}: CPU ns/event: floor ${f.cpuNs.toFixed(1)}, sync ${s.producerCpuNs.toFixed(1)}, writer thread: tracing thread ${w.producerCpuNs.toFixed(1)} (${w.dropped} dropped)`);
    }
  }
  rmSync(file, { force: true });
  rmSync(floorFile, { force: true });

  const rows: Row[] = [];
  for (const kind of kinds) {
    const floorCpu = floors[kind].map((f) => f.cpuNs);
    const floor = median(floorCpu);
    const floorWall = median(floors[kind].map((f) => f.wallNs));
    const base = `floor ${fmtNs(floor)} (${fmtRate(1e9 / floor)})`;
    const syncCpu = syncRuns[kind].map((x) => x.producerCpuNs);
    const s = median(syncCpu);
    const sWall = median(syncRuns[kind].map((x) => x.producerNs));
    rows.push(
      row({
        figure: '2',
        row: `host event → backend-simple file, sync (writes on the tracing thread), ${LABEL[kind]}`,
        value: `${fmtNs(s)} (${fmtRate(1e9 / s)})`,
        baseline: base,
        ratio: pairedRatio(syncCpu, floorCpu),
        target: atMost(1.25),
        note: `${n.toLocaleString('en-US')} events × ${o.rounds} rounds, until written; ${CPU_NOTE}; whole process ${fmtNs(median(syncRuns[kind].map((x) => x.processCpuNs)))}; wall time ${fmtNs(sWall)} against the floor's ${fmtNs(floorWall)}`,
        raw: { cpuNs: s, wallNs: sWall, eventsPerSecond: 1e9 / s, floorCpuNs: floor, floorWallNs: floorWall },
      }),
    );
    const ws = workerRuns[kind];
    const workerCpu = ws.map((x) => x.producerCpuNs);
    const w = median(workerCpu);
    const wWall = median(ws.map((x) => x.producerNs));
    const total = median(ws.map((x) => x.totalNs));
    const other = median(ws.map((x) => x.processCpuNs - x.producerCpuNs));
    const drops = ws.map((x) => x.dropped);
    rows.push(
      row({
        figure: '2',
        row: `host event → backend-simple file, writer thread (the default; ${BOUND} bound), ${LABEL[kind]}: tracing thread`,
        value: `${fmtNs(w)} (${fmtRate(1e9 / w)})`,
        baseline: base,
        ratio: pairedRatio(workerCpu, floorCpu),
        target: atMost(1.25),
        spoiled: drops.some((d) => d > 0) ? `RECORDS DROPPED by the ${BOUND} bound while the writer thread lagged (per round: ${drops.join(', ')} of ${n.toLocaleString('en-US')})` : undefined,
        note: `${THREAD_NOTE}; wall ${fmtNs(wWall)}, until written ${fmtNs(total)}; the writer thread and GC use ${fmtNs(other)} CPU per event on top`,
        raw: { cpuNs: w, wallNs: wWall, totalNs: total, otherThreadsCpuNs: other, floorCpuNs: floor, droppedMax: Math.max(...drops) },
      }),
    );
  }
  return rows;
}
