// Figure 8: start-up. `unitrace --version` and `unitrace print` of an empty trace against `node -e 0`.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { runChild, unitrace } from '../support/cli-run.js';
import { BENCH_CATALOG } from '../support/host.js';
import { progress, type BenchOptions, type CliChoice } from '../support/options.js';
import { atMost, row, type Row } from '../support/rows.js';
import { median, pairedRatio } from '../support/stats.js';
import { writeBenchTrace } from '../support/trace-files.js';

const ms = (x: number): string => `${x.toFixed(0)} ms`;

/** Runs figure 8 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const rounds = o.quick ? 5 : 11;
  const empty = join(o.workDir, 'fig8-empty.simpletrace');
  await writeBenchTrace(empty, 0);
  // The source entry (what a workspace checkout runs) and a built CLI (tools/dist, or the bench's bundle).
  const clis: CliChoice[] = [o.sourceCli, o.bundledCli ?? o.cli].filter((c, i, all) => all.findIndex((d) => d.label === c.label) === i);
  const cases = clis.flatMap((cli) => [
    { cli, what: 'unitrace --version', argv: unitrace(cli, '--version') },
    { cli, what: 'unitrace print of an empty trace', argv: unitrace(cli, 'print', BENCH_CATALOG, empty) },
  ]);
  const node: number[] = [];
  const times: number[][] = cases.map(() => []);
  // One warm-up of each (file cache), then rounds that interleave the baseline with every command.
  runChild([process.execPath, '-e', '0']);
  for (const c of cases) runChild(c.argv);
  for (let r = 0; r < rounds; r++) {
    node.push(runChild([process.execPath, '-e', '0']).ms);
    cases.forEach((c, i) => times[i].push(runChild(c.argv).ms));
    progress('8', `round ${r + 1}/${rounds}: node -e 0 ${ms(node[r])}, ${cases.map((c, i) => `${c.what} ${ms(times[i][r])}`).join(', ')}`);
  }
  rmSync(empty, { force: true });
  const base = median(node);
  return cases.map((c, i) =>
    row({
      figure: '8',
      row: `${c.what} (${c.cli.label})`,
      value: ms(median(times[i])),
      baseline: `node -e 0 ${ms(base)}`,
      ratio: pairedRatio(times[i], node),
      target: atMost(2),
      note: `wall time from spawn to exit, ${rounds} rounds interleaved`,
      raw: { ms: median(times[i]), nodeMs: base },
    }),
  );
}
