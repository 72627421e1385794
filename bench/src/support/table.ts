// The final table: plain text for the terminal, Markdown for BENCHMARKS.md. Notes become numbered footnotes.
import type { MachineInfo } from './machine.js';
import type { Row } from './rows.js';
import { fmtRatio } from './stats.js';

const HEAD = ['fig', 'row', 'value', 'baseline (same run)', 'ratio', 'target', 'met?'];

function met(r: Row): string {
  if (r.target === undefined) return '—';
  if (r.met === undefined) return 'n/a';
  return r.met ? 'yes' : 'NO';
}

function cells(rows: readonly Row[]): { table: string[][]; notes: string[] } {
  const notes: string[] = [];
  const table = rows.map((r) => {
    let label = r.row;
    if (r.note !== undefined) {
      notes.push(r.note);
      label += ` [${notes.length}]`;
    }
    return [r.figure, label, r.value, r.baseline, fmtRatio(r.ratio), r.target?.text ?? '—', met(r)];
  });
  return { table, notes };
}

/** The machine lines printed above the table. */
export function machineLines(m: MachineInfo): string[] {
  return [
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, node ${m.node}`,
    `load average (1/5/15 min): ${m.loadStart} at start, ${m.loadEnd} at end; ${m.date}`,
  ];
}

/** The table as aligned plain text, with wrapped footnotes under it. */
export function textTable(rows: readonly Row[], m: MachineInfo, footer: readonly string[]): string {
  const { table, notes } = cells(rows);
  const widths = HEAD.map((h, c) => Math.max(h.length, ...table.map((t) => t[c].length)));
  const line = (t: readonly string[]): string => t.map((x, c) => x.padEnd(widths[c])).join('  ').trimEnd();
  const out = [...machineLines(m), '', line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(line), ''];
  notes.forEach((n, i) => out.push(`[${i + 1}] ${n}`));
  out.push('', ...footer);
  return `${out.join('\n')}\n`;
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The table as Markdown, with the machine first and the footnotes after it. */
export function markdownTable(rows: readonly Row[], m: MachineInfo, footer: readonly string[]): string {
  const { table, notes } = cells(rows);
  const out = [...machineLines(m).map((l) => `- ${l}`), '', `| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => ' --- ').join('|')}|`];
  for (const t of table) out.push(`| ${t.map(md).join(' | ')} |`);
  out.push('');
  notes.forEach((n, i) => out.push(`${i + 1}. ${md(n)}`));
  if (footer.length > 0) out.push('', ...footer);
  return `${out.join('\n')}\n`;
}
