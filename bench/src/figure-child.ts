// Runs one figure in its own process (isolated JIT state, heap and threads) and writes its rows as JSON.
// Started by main.ts: node --conditions=@unitrace/source --import tsx --expose-gc figure-child.ts FIGURE
import { writeFileSync } from 'node:fs';
import type { BenchOptions } from './support/options.js';
import type { Row } from './support/rows.js';

const FIGURES: Record<string, () => Promise<{ run(o: BenchOptions): Promise<Row[]> }>> = {
  '1': () => import('./figures/fig1-disabled.js'),
  '2': () => import('./figures/fig2-simple.js'),
  '3': () => import('./figures/fig3-loggers.js'),
  '4': () => import('./figures/fig4-lttng.js'),
  '5': () => import('./figures/fig5-guest.js'),
  '6': () => import('./figures/fig6-guest-disabled.js'),
  '7': () => import('./figures/fig7-reading.js'),
  '8': () => import('./figures/fig8-startup.js'),
};

const figure = process.argv[2];
const resultFile = process.env.BENCH_RESULT;
const load = FIGURES[figure];
if (load === undefined || resultFile === undefined) throw new Error(`usage: BENCH_RESULT=FILE figure-child.ts 1..8`);
const options = JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as BenchOptions;
const rows = await (await load()).run(options);
writeFileSync(resultFile, JSON.stringify(rows));
