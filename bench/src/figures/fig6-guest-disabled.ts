// Figure 6: a disabled guest event: guest ns per call against the guest's own empty loop, and the exits it took.
import { join } from 'node:path';
import { settle } from '../support/host.js';
import { progress, type BenchOptions } from '../support/options.js';
import { row, valueTarget, type Row } from '../support/rows.js';
import { fmtNs, median, pairedRatio } from '../support/stats.js';
import { guestRun, type GuestRun } from './fig5-guest.js';

/** Runs figure 6 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = o.quick ? 2_000_000 : 20_000_000;
  const rounds = o.quick ? 1 : Math.min(o.rounds, 5);
  const file = join(o.workDir, 'fig6.simpletrace');
  const runs: GuestRun[] = [];
  await guestRun('disabled', n / 10, file); // warm-up
  for (let r = 0; r < rounds; r++) {
    settle();
    runs.push(await guestRun('disabled', n, file));
    progress('6', `round ${r + 1}/${rounds}: disabled ${runs[r].ns.toFixed(2)} ns/call, empty loop ${runs[r].emptyNs.toFixed(2)} ns, ${runs[r].exits} exits, ${runs[r].delivered} records`);
  }
  const calls = runs.map((x) => x.ns);
  const empty = runs.map((x) => x.emptyNs);
  const exits = Math.max(...runs.map((x) => x.exits));
  const records = Math.max(...runs.map((x) => x.delivered));
  const what = `${n.toLocaleString('en-US')} calls × ${rounds} rounds on the worker vCPU, guest clock`;
  return [
    row({
      figure: '6',
      row: 'disabled guest event (firmware SDK, 4 integers): guest ns per call',
      value: fmtNs(median(calls)),
      baseline: `guest empty loop ${fmtNs(median(empty))}`,
      ratio: pairedRatio(calls, empty),
      note: `${what}; the check is a state-page load, a bit test and a branch; no target in the issue beyond zero exits`,
      raw: { ns: median(calls), emptyNs: median(empty) },
    }),
    row({
      figure: '6',
      row: 'disabled guest event: vCPU exits (and records that reached the sink)',
      value: `${exits} exits, ${records} records`,
      baseline: '—',
      valueNumber: exits + records,
      target: valueTarget('<=', 0, '0'),
      note: what,
      raw: { exits, records },
    }),
  ];
}
