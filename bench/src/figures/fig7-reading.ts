// Figure 7: reading. The reader's decode rate and `unitrace print`'s events/s on a 10M-event file (against
// babeltrace2 on a CTF trace of as many events, and QEMU's simpletrace.py when given), and peak memory while
// printing and converting a 1 GiB file against a 100 MiB one.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSimpleTrace } from '@unitrace/backend-simple/reader';
import { createRegistry, loadCatalog } from '@unitrace/core';
import { peakFile, runChild, unitrace } from '../support/cli-run.js';
import { BENCH_CATALOG, settle } from '../support/host.js';
import { lttngSession } from '../support/lttng.js';
import { progress, type BenchOptions } from '../support/options.js';
import { absent, atLeast, row, valueTarget, type Row } from '../support/rows.js';
import { fmtCount, fmtKiB, fmtRate, median, pairedRatio } from '../support/stats.js';
import { writeBenchTrace, writeRepeatedTrace } from '../support/trace-files.js';
import { eventsPerRun, lttngTraceDir } from './fig4-lttng.js';

const MiB = 1024 * 1024;
/**
 * How much more the large file may peak at and still count as flat: V8 lets its heap grow in steps over a long run
 * (a 2 GiB file peaked no higher than a 1 GiB one when this was written), while anything that kept records would
 * grow by hundreds of MiB.
 */
const FLAT_SLACK_MIB = 32;

/** Records per second through the reader's decoding view (names, declarations, arguments). */
async function decodeRate(file: string, n: number): Promise<{ records: number; batches: number }> {
  const registry = createRegistry(loadCatalog(BENCH_CATALOG));
  const trace = await openSimpleTrace(file, { events: registry.sources[0].events });
  let t0 = performance.now();
  let count = 0;
  let check = 0n;
  for await (const r of trace.records()) {
    count++;
    check += r.args![2] as bigint;
  }
  const records = count / ((performance.now() - t0) / 1000);
  if (count !== n || check === 0n) throw new Error(`reader: ${count} of ${n} records`);
  t0 = performance.now();
  count = 0;
  for await (const chunk of trace.batches((name) => registry.lookup(name))) if (chunk.kind === 'batch') count += chunk.batch.count;
  const batches = count / ((performance.now() - t0) / 1000);
  if (count !== n) throw new Error(`reader batches: ${count} of ${n} records`);
  return { records, batches };
}

/** Runs figure 7 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = eventsPerRun(o);
  const rounds = o.quick ? 1 : 3;
  // Printing 10M events takes 2-4 s a round (--style log 4-8 s), so it is measured every round.
  const printRounds = rounds;
  const file = join(o.workDir, 'fig7.simpletrace');
  const rows: Row[] = [];
  progress('7', `writing a ${fmtCount(n)}-event trace`);
  await writeBenchTrace(file, n);
  const cliNote = `${o.cli.label}; stdout to /dev/null; wall time from spawn to exit`;

  // babeltrace2's CTF trace of as many events: figure 4's, or made now.
  let ctf: string | undefined = lttngTraceDir(o);
  let ctfWhy: string | undefined;
  if (!existsSync(ctf)) {
    ctf = undefined;
    if (o.lttng.babeltrace === undefined) ctfWhy = 'babeltrace2 not installed (bash bench/scripts/install-lttng.sh)';
    else if (!o.lttng.sessions) ctfWhy = `no CTF trace to read: ${o.lttng.why ?? 'LTTng unavailable'}`;
    else {
      try {
        const dir = lttngTraceDir(o);
        const made = lttngSession(o.lttng.program!, dir, n);
        if (made.discarded > 0) ctfWhy = `LTTng discarded ${made.discarded} events while making the CTF trace`;
        else ctf = dir;
      } catch (err) {
        ctfWhy = `could not record a CTF trace: ${(err as Error).message.split('\n')[0]}`;
      }
    }
  }

  const reader: number[] = [];
  const readerBatches: number[] = [];
  const bt: number[] = [];
  const print: number[] = [];
  const printLog: number[] = [];
  for (let r = 0; r < rounds; r++) {
    settle();
    const d = await decodeRate(file, n);
    reader.push(d.records);
    readerBatches.push(d.batches);
    if (ctf !== undefined) bt.push(n / (runChild([o.lttng.babeltrace!, '--output-format=dummy', ctf]).ms / 1000));
    if (r < printRounds) {
      print.push(n / (runChild(unitrace(o.cli, 'print', BENCH_CATALOG, file)).ms / 1000));
      printLog.push(n / (runChild(unitrace(o.cli, 'print', '--style', 'log', BENCH_CATALOG, file)).ms / 1000));
    }
    progress('7', `round ${r + 1}/${rounds}: reader ${fmtRate(d.records)}, babeltrace2 ${bt[r] ? fmtRate(bt[r]) : '—'}, unitrace print ${print[r] ? fmtRate(print[r]) : '—'} (--style log ${printLog[r] ? fmtRate(printLog[r]) : '—'})`);
  }
  const what = `${fmtCount(n)} events`;
  rows.push(
    row({
      figure: '7',
      row: `reader: decode a ${what} simpletrace file (records(): names, declarations, arguments)`,
      value: fmtRate(median(reader), 'events'),
      baseline: bt.length > 0 ? `babeltrace2 ${fmtRate(median(bt), 'events')}` : `— (${ctfWhy})`,
      ratio: bt.length > 0 ? pairedRatio(reader, bt) : undefined,
      target: atLeast(1),
      note: `${rounds} rounds; babeltrace2 --output-format=dummy on LTTng's CTF trace of the same ${what} (4 integer fields), wall time incl. start-up; the reader's batches() view (what convert pumps) runs at ${fmtRate(median(readerBatches))}`,
      raw: { readerPerSecond: median(reader), batchesPerSecond: median(readerBatches), babeltracePerSecond: bt.length > 0 ? median(bt) : Number.NaN },
    }),
  );
  rows.push(
    row({
      figure: '7',
      row: `unitrace print (simpletrace.py's lines) of the ${what} file`,
      value: fmtRate(median(print), 'events'),
      baseline: '— (the simpletrace.py row below is its baseline)',
      note: `${printRounds} rounds; ${cliNote}; formats from the reader's batches() straight into 64 KiB output chunks`,
      raw: { printPerSecond: median(print) },
    }),
  );
  rows.push(
    row({
      figure: '7',
      row: `unitrace print --style log (QEMU log-backend lines, core's printf engine) of the ${what} file`,
      value: fmtRate(median(printLog), 'events'),
      baseline: '—',
      note: `${printRounds} rounds; ${cliNote}`,
      raw: { printLogPerSecond: median(printLog) },
    }),
  );

  // QEMU's simpletrace.py runs at ~90k records/s: on a 1M-event prefix it takes ~11 s, on 10M far too long.
  if (o.simpletrace !== undefined) {
    const small = join(o.workDir, 'fig7-small.simpletrace');
    const m = o.quick ? 100_000 : 1_000_000;
    await writeBenchTrace(small, m);
    const py: number[] = [];
    const ours: number[] = [];
    for (let r = 0; r < (o.quick ? 1 : 2); r++) {
      py.push(m / (runChild(['python3', o.simpletrace, BENCH_CATALOG, small]).ms / 1000));
      ours.push(m / (runChild(unitrace(o.cli, 'print', BENCH_CATALOG, small)).ms / 1000));
      progress('7', `simpletrace.py ${fmtRate(py[r])}, unitrace print ${fmtRate(ours[r])}`);
    }
    rmSync(small, { force: true });
    rows.push(
      row({
        figure: '7',
        row: `unitrace print vs QEMU's simpletrace.py, same ${fmtCount(m)}-event file`,
        value: fmtRate(median(ours), 'events'),
        baseline: `simpletrace.py ${fmtRate(median(py), 'records')}`,
        ratio: pairedRatio(ours, py),
        target: atLeast(20),
        note: `python3 ${o.simpletrace}; ${cliNote}`,
        raw: { printPerSecond: median(ours), simpletracePerSecond: median(py) },
      }),
    );
  } else {
    rows.push(absent('7', "unitrace print vs QEMU's simpletrace.py", 'baseline absent: pass --simpletrace PATH to QEMU\'s scripts/simpletrace.py (not shipped in a Debian package)', atLeast(20)));
  }
  rmSync(file, { force: true });

  // Peak memory: the same commands on a large and a 10× smaller file; flat means the large one peaks no higher.
  const empty = join(o.workDir, 'fig7-empty.simpletrace');
  await writeBenchTrace(empty, 0);
  const [bigBytes, smallBytes] = o.quick ? [256 * MiB, 32 * MiB] : [1024 * MiB, 100 * MiB];
  const big = join(o.workDir, 'fig7-big.simpletrace');
  const little = join(o.workDir, 'fig7-little.simpletrace');
  const bigCount = writeRepeatedTrace(empty, big, bigBytes);
  writeRepeatedTrace(empty, little, smallBytes);
  const commands: Array<[string, string[]]> = [
    ['unitrace print > /dev/null', ['print', BENCH_CATALOG]],
    ['unitrace convert --to ust-json -o /dev/null', ['convert', '--to', 'ust-json', '-o', '/dev/null', BENCH_CATALOG]],
  ];
  for (const [label, args] of commands) {
    const a = runChild(unitrace(o.cli, ...args, little), { peakRssFile: peakFile(o.workDir, 'little') });
    const b = runChild(unitrace(o.cli, ...args, big), { peakRssFile: peakFile(o.workDir, 'big') });
    progress('7', `${label}: peak ${fmtKiB(a.peakKiB!)} for ${smallBytes / MiB} MiB, ${fmtKiB(b.peakKiB!)} for ${bigBytes / MiB} MiB (${fmtRate(bigCount / (b.ms / 1000), 'events')})`);
    const growth = (b.peakKiB! - a.peakKiB!) / 1024;
    rows.push(
      row({
        figure: '7',
        row: `${label}: peak RSS (VmHWM) on a ${bigBytes / MiB} MiB file`,
        value: `${fmtKiB(b.peakKiB!)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB)`,
        baseline: `${smallBytes / MiB} MiB file: ${fmtKiB(a.peakKiB!)}`,
        ratio: b.peakKiB! / a.peakKiB!,
        valueNumber: growth,
        target: valueTarget('<=', FLAT_SLACK_MIB, `growth ≤ ${FLAT_SLACK_MIB} MiB`),
        note: `${fmtCount(bigCount)} events (${(statSync(big).size / MiB).toFixed(0)} MiB) in ${(b.ms / 1000).toFixed(1)} s; ${o.cli.label}; flat means a file ${bigBytes / smallBytes}× larger costs at most a buffer or a heap step more, never memory in proportion to it`,
        raw: { bigPeakKiB: b.peakKiB!, smallPeakKiB: a.peakKiB!, bigMs: b.ms },
      }),
    );
  }
  for (const f of [empty, big, little]) rmSync(f, { force: true });
  return rows;
}
