// Figure 4: LTTng-UST, the C tracer of record, against Unitrace for the same 4-integer event: in-process CPU time
// per event. LTTng's consumer daemon (another process) writes its trace; Unitrace's writer thread is in-process.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { settle } from '../support/host.js';
import { lttngSession, type LttngRun } from '../support/lttng.js';
import { progress, type BenchOptions } from '../support/options.js';
import { absent, atMost, row, type Row } from '../support/rows.js';
import { simpleRun, type SimpleRun } from '../support/simple-run.js';
import { fmtNs, median, pairedRatio } from '../support/stats.js';

/** The LTTng channel's buffer (8 × 4 MiB sub-buffers); Unitrace's writer thread gets the same bound. */
const BUFFER_BYTES = 32 * 1024 * 1024;

/** Events per run of figures 4 and 7 (10M; 1M with --quick). */
export function eventsPerRun(o: BenchOptions): number {
  return o.quick ? 1_000_000 : 10_000_000;
}

/** Where figure 4 leaves its last CTF trace for figure 7's babeltrace2 row. */
export function lttngTraceDir(o: BenchOptions): string {
  return join(o.workDir, `lttng-trace-${eventsPerRun(o)}`);
}

/** Runs figure 4 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = eventsPerRun(o);
  const rounds = o.quick ? 2 : Math.min(o.rounds, 5);
  const file = join(o.workDir, 'fig4.simpletrace');
  const outDir = join(o.workDir, 'fig4-ctf');
  const lttng: LttngRun[] = [];
  const worker: SimpleRun[] = [];
  const sync: SimpleRun[] = [];
  let lttngError = o.lttng.sessions ? undefined : (o.lttng.why ?? 'LTTng is not available');
  await simpleRun({ file, n: n / 10, kind: 'four', sync: false, maxLength: BUFFER_BYTES }); // warm-up
  for (let r = 0; r < rounds; r++) {
    if (lttngError === undefined) {
      rmSync(outDir, { recursive: true, force: true });
      try {
        lttng.push(lttngSession(o.lttng.program!, outDir, n));
      } catch (err) {
        lttngError = `LTTng session failed: ${(err as Error).message.split('\n')[0]}`;
      }
    }
    settle();
    worker.push(await simpleRun({ file, n, kind: 'four', sync: false, maxLength: BUFFER_BYTES }));
    settle();
    sync.push(await simpleRun({ file, n, kind: 'four', sync: true }));
    const l = lttng[r];
    progress('4', `round ${r + 1}/${rounds}: LTTng ${l ? `${(l.threadCpuNs / l.events).toFixed(1)} ns CPU` : 'absent'}, Unitrace writer thread ${worker[r].producerCpuNs.toFixed(1)} ns CPU (${worker[r].dropped} dropped), sync ${sync[r].producerCpuNs.toFixed(1)} ns CPU`);
  }
  rmSync(file, { force: true });
  if (lttng.length > 0) {
    rmSync(lttngTraceDir(o), { recursive: true, force: true });
    renameSync(outDir, lttngTraceDir(o)); // kept for figure 7 (babeltrace2), removed with the work directory
  }

  const what = `4-integer event, ${n.toLocaleString('en-US')} events × ${rounds} rounds`;
  const rows: Row[] = [];
  let base: number[] | undefined;
  let baseText = '—';
  if (lttng.length === rounds) {
    base = lttng.map((l) => l.processCpuNs / l.events);
    const b = median(base);
    const discarded = lttng.map((l) => l.discarded);
    const bytes = lttng[lttng.length - 1].bytes / n;
    baseText = `LTTng-UST ${fmtNs(b)} CPU`;
    rows.push(
      row({
        figure: '4',
        row: `LTTng-UST tracepoint (C, gcc -O2) → CTF trace, in-process CPU per event (the baseline itself)`,
        value: `${fmtNs(b)} CPU, ${bytes.toFixed(1)} bytes/event`,
        baseline: '—',
        spoiled: discarded.some((d) => d > 0) ? `EVENTS DISCARDED by LTTng (per round: ${discarded.join(', ')})` : undefined,
        note: `${what}; CLOCK_PROCESS_CPUTIME_ID around the loop (the calling thread alone: ${fmtNs(median(lttng.map((l) => l.threadCpuNs / l.events)))}); channel 8 × 4 MiB, discard mode; the consumer daemon's CPU is in another process`,
        raw: { processCpuNs: b, bytesPerEvent: bytes, discardedMax: Math.max(...discarded) },
      }),
    );
  } else rows.push(absent('4', 'LTTng-UST tracepoint (C) → CTF trace, in-process CPU per event', lttngError ?? 'LTTng runs failed'));

  const wCpu = worker.map((w) => w.producerCpuNs);
  const wOther = median(worker.map((w) => w.processCpuNs - w.producerCpuNs));
  const wDrops = worker.map((w) => w.dropped);
  rows.push(
    row({
      figure: '4',
      row: 'Unitrace → backend-simple, writer thread (32 MiB bound, as LTTng\'s channel): tracing thread CPU per event',
      value: `${fmtNs(median(wCpu))} CPU`,
      baseline: base ? baseText : `— (${lttngError})`,
      ratio: base ? pairedRatio(wCpu, base) : undefined,
      target: atMost(1),
      spoiled: wDrops.some((d) => d > 0) ? `RECORDS DROPPED (per round: ${wDrops.join(', ')})` : undefined,
      note: `${what}; the tracing thread's own CPU (/proc/thread-self/schedstat); the writer thread and GC add ${fmtNs(wOther)} CPU per event in the same process`,
      raw: { producerCpuNs: median(wCpu), otherThreadsCpuNs: wOther, droppedMax: Math.max(...wDrops) },
    }),
  );
  const sCpu = sync.map((s) => s.producerCpuNs);
  rows.push(
    row({
      figure: '4',
      row: 'Unitrace → backend-simple, sync (the tracing thread also writes the file): CPU per event',
      value: `${fmtNs(median(sCpu))} CPU`,
      baseline: base ? baseText : `— (${lttngError})`,
      ratio: base ? pairedRatio(sCpu, base) : undefined,
      target: atMost(1),
      note: `${what}; includes the write(2) calls LTTng leaves to its consumer daemon; process CPU ${fmtNs(median(sync.map((s) => s.processCpuNs)))}`,
      raw: { producerCpuNs: median(sCpu), processCpuNs: median(sync.map((s) => s.processCpuNs)) },
    }),
  );
  return rows;
}
