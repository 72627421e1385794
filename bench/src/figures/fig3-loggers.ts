// Figure 3: the same events through pino to a file (the baseline) and through backend-simple, backend-ust-json and
// backend-stderr to files, in events per second.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createSimpleSink } from '@unitrace/backend-simple';
import { createStderrSink } from '@unitrace/backend-stderr';
import { createUstJsonSink } from '@unitrace/backend-ust-json';
import type { Sink, SinkEnv } from '@unitrace/core';
import { settle } from '../support/host.js';
import { progress, type BenchOptions } from '../support/options.js';
import { atLeast, row, type Row } from '../support/rows.js';
import type { EventKind } from '../support/simple-run.js';
import { pinoRun, sinkRun, type LoggerRun, type PinoMode } from '../support/sink-run.js';
import { fmtNs, fmtRate, fmtRatio, median, pairedRatio } from '../support/stats.js';

interface Contender {
  readonly label: string;
  readonly target: number;
  readonly make: (file: string, env: SinkEnv) => Sink;
}

const CONTENDERS: readonly Contender[] = [
  { label: 'backend-simple (sync)', target: 30, make: (file, env) => createSimpleSink({ file, sync: true }, env) },
  { label: 'backend-ust-json (JSON lines, sync)', target: 8, make: (file, env) => createUstJsonSink({ file, sync: true }, env) },
  { label: 'backend-stderr (log lines to a file)', target: 8, make: (file, env) => createStderrSink({ file, color: 'never' }, env) },
];

const LABEL: Record<EventKind, string> = { four: '4 integers', str: 'one short string' };

/** Runs figure 3 and returns its rows. */
export async function run(o: BenchOptions): Promise<Row[]> {
  const n = o.quick ? 100_000 : 1_000_000;
  const nPino = o.quick ? 20_000 : 100_000;
  const file = join(o.workDir, 'fig3.out');
  const kinds: EventKind[] = ['four', 'str'];
  const modes: PinoMode[] = ['default', 'sync-4k'];
  const runs: Record<string, LoggerRun[]> = {};
  const add = (key: string, r: LoggerRun): number => (runs[key] ??= []).push(r);
  for (let r = -1; r < o.rounds; r++) {
    for (const kind of kinds) {
      const line: string[] = [];
      for (const mode of modes) {
        settle();
        const p = await pinoRun(mode, kind, file, nPino);
        if (r >= 0) add(`${kind}/pino-${mode}`, p);
        line.push(`pino ${mode} ${(p.cpuNs / 1000).toFixed(2)} µs`);
      }
      for (const c of CONTENDERS) {
        settle();
        const s = sinkRun(kind, n, file, (env) => c.make(file, env));
        if (r >= 0) add(`${kind}/${c.label}`, s);
        line.push(`${c.label.split(' ')[0]} ${s.cpuNs.toFixed(0)} ns`);
      }
      if (r >= 0) progress('3', `round ${r + 1}/${o.rounds} ${kind} (CPU per event): ${line.join(', ')}`);
    }
  }
  rmSync(file, { force: true });

  const cpu = (key: string): number[] => runs[key].map((x) => x.cpuNs);
  const wall = (key: string): number => median(runs[key].map((x) => x.wallNs));
  const rows: Row[] = [];
  for (const kind of kinds) {
    // The baseline is pino as a user sets it up: pino(pino.destination(file)). Its faster buffered configuration is
    // measured too and shown, so the margin over pino at its best is on the record as well.
    const base = cpu(`${kind}/pino-default`);
    const tuned = cpu(`${kind}/pino-sync-4k`);
    const p = median(base);
    const q = median(tuned);
    const baseText = `pino ${fmtNs(p)} (${fmtRate(1e9 / p)})`;
    rows.push(
      row({
        figure: '3',
        row: `pino 10 → file, ${LABEL[kind]} (the baseline itself)`,
        value: baseText,
        baseline: '—',
        note: `pino(pino.destination(file)), its default (asynchronous) destination, until written, CPU time of the whole process (its GC and write threads included); ${nPino.toLocaleString('en-US')} events × ${o.rounds} rounds; wall ${fmtNs(wall(`${kind}/pino-default`))}. Tuned, pino.destination({ sync: true, minLength: 4096 }): ${fmtNs(q)} (${fmtRate(1e9 / q)})`,
        raw: { pinoCpuNs: p, pinoTunedCpuNs: q },
      }),
    );
    for (const c of CONTENDERS) {
      const key = `${kind}/${c.label}`;
      const ns = median(cpu(key));
      const drops = runs[key].reduce((s, x) => s + x.dropped, 0);
      const vsTuned = 1 / pairedRatio(cpu(key), tuned);
      rows.push(
        row({
          figure: '3',
          row: `host event → ${c.label}, ${LABEL[kind]}: events/s against pino`,
          value: `${fmtRate(1e9 / ns)} (${fmtNs(ns)})`,
          baseline: baseText,
          // events/s ratio = pino's ns ÷ ours, paired by round.
          ratio: 1 / pairedRatio(cpu(key), base),
          target: atLeast(c.target),
          spoiled: drops > 0 ? `RECORDS DROPPED: ${drops}` : undefined,
          note: `${n.toLocaleString('en-US')} events × ${o.rounds} rounds, until written; CPU time of the whole process (all threads), as for pino; wall ${fmtNs(wall(key))}; ${fmtRatio(vsTuned)} the tuned pino`,
          raw: { cpuNs: ns, wallNs: wall(key), eventsPerSecond: 1e9 / ns, pinoCpuNs: p, vsTunedPino: vsTuned },
        }),
      );
    }
  }
  return rows;
}

