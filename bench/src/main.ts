// `npm run bench`: every figure of the tracer's cost and capacity measured against its baseline in the same run,
// each figure in its own child process, then one table of medians and ratios. See BENCHMARKS.md.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './support/args.js';
import { bundleCli } from './support/bundle-cli.js';
import { prepareLttng, startSessiond } from './support/lttng.js';
import { loadAverage, machineInfo } from './support/machine.js';
import type { BenchOptions, CliChoice, LttngChoice } from './support/options.js';
import { runFigure } from './support/run-figure.js';
import type { Row } from './support/rows.js';
import { machineLines, markdownTable, textTable } from './support/table.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = performance.now();
  const machine = machineInfo();
  for (const l of machineLines(machine)) process.stderr.write(`${l}\n`);
  const workDir = mkdtempSync(join(tmpdir(), 'unitrace-bench-'));
  let sessiond: number | undefined;
  const cleanup = (): void => {
    if (sessiond !== undefined) {
      try {
        process.kill(sessiond, 'SIGTERM');
      } catch {
        // already gone
      }
      sessiond = undefined;
    }
    if (!args.keep) rmSync(workDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const wants = (f: string): boolean => args.only.includes(f);
    let lttng: LttngChoice = { sessions: false, why: 'not needed by the figures run' };
    if (wants('4') || wants('7')) {
      lttng = prepareLttng(REPO, workDir, args.install);
      if (lttng.sessions) sessiond = startSessiond(workDir);
    }
    // A workspace checkout's `unitrace` runs the TypeScript source unless UNITRACE_USE_DIST=1 asks for tools/dist.
    const dist = existsSync(join(REPO, 'tools', 'dist', 'cli.js'));
    const bin = join(REPO, 'tools', 'bin', 'unitrace.js');
    const source: CliChoice = { argv: [process.execPath, bin], label: 'CLI from source (tsx)', env: { UNITRACE_USE_DIST: '0' } };
    const cli: CliChoice = dist ? { argv: [process.execPath, bin], label: 'built CLI (tools/dist)', env: { UNITRACE_USE_DIST: '1' } } : source;
    let bundledCli: CliChoice | undefined;
    const extra: string[] = [];
    if (wants('8') && !dist) {
      const dir = join(workDir, 'cli');
      mkdirSync(dir);
      const b = await bundleCli(REPO, dir);
      if (typeof b === 'string') extra.push(`figure 8: ${b}`);
      else bundledCli = b;
    }
    const options: BenchOptions = {
      quick: args.quick,
      rounds: args.rounds,
      workDir,
      repo: REPO,
      simpletrace: args.simpletrace,
      cli,
      sourceCli: source,
      bundledCli,
      lttng,
    };
    const rows: Row[] = [];
    for (const figure of args.only) {
      const t0 = performance.now();
      process.stderr.write(`figure ${figure}…\n`);
      rows.push(...(await runFigure(figure, options)));
      process.stderr.write(`figure ${figure}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    machine.loadEnd = loadAverage();
    const minutes = (performance.now() - started) / 60000;
    const footer = [
      `${args.quick ? 'QUICK run (small counts: a smoke test, not figures to quote); ' : ''}${args.rounds} rounds per measurement; value and baseline are medians;`,
      'ratio is the median of per-round ratios (each round measures a row and its baseline back to back).',
      `figures run: ${args.only.join(', ')}; total ${minutes.toFixed(1)} min.${extra.length > 0 ? ` ${extra.join('; ')}` : ''}`,
    ];
    process.stdout.write(`\n${textTable(rows, machine, footer)}`);
    if (args.markdown !== undefined) writeFileSync(args.markdown, markdownTable(rows, machine, footer));
    if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify({ machine, quick: args.quick, rounds: args.rounds, minutes, rows }, null, 2)}\n`);
    if (args.keep) process.stderr.write(`work directory kept: ${workDir}\n`);
    return 0;
  } finally {
    cleanup();
  }
}

process.exitCode = await main();
