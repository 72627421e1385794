// Runs the reliability tests (every *.fuzz.test.ts and *-fault.test.ts, plus the older property and exit tests
// they build on) with UNITRACE_RELIABILITY_REPORT set, and writes their figures into RELIABILITY.md between the
// markers of the mode (`reliability-figures` for `npm test` counts, `reliability-fuzz-figures` for --long).
// Usage: node scripts/reliability-report.mjs [--long] [--dry-run] [-- extra vitest arguments]
//   --long     UNITRACE_FUZZ=long: the `npm run fuzz` case counts (minutes instead of seconds)
//   --dry-run  print the table instead of writing RELIABILITY.md
// Exits 1 when a test failed (the table is still written, with the failure shown).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DOC = join(ROOT, 'RELIABILITY.md');
/** Each mode has its own block: `npm test` counts and `npm run fuzz` counts. */
const marker = (long, end) => `<!-- reliability-${long ? 'fuzz-' : ''}figures:${end ? 'end' : 'start'} -->`;
/** Older tests the promises also rest on: they run and show pass/fail, without figures of their own. */
const SUPPORTING = [
  'packages/backend-simple/test/exit.test.ts',
  'packages/backend-simple/test/io-errors.test.ts',
  'packages/backend-simple/test/max-length.test.ts',
  'packages/emulator/test/fw-cfg-property.test.ts',
  'packages/emulator/test/channel-decoder-property.test.ts',
  'packages/emulator/test/monitor-property.test.ts',
  'packages/emulator/test/monitor-server.test.ts',
  'packages/emulator/test/monitor-errors.test.ts',
  'packages/core/src/registry/registry-property.test.ts',
  'packages/core/src/tracer/tracer.test.ts',
];

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split < 0 ? argv : argv.slice(0, split);
const extra = split < 0 ? [] : argv.slice(split + 1);
const long = own.includes('--long');
const dryRun = own.includes('--dry-run');

function testFiles() {
  const dirs = [...readdirSync(join(ROOT, 'packages')).map((p) => join(ROOT, 'packages', p, 'test')), join(ROOT, 'tools', 'test')];
  const found = dirs
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).filter((f) => /\.fuzz\.test\.ts$|-fault\.test\.ts$/.test(f)).map((f) => relative(ROOT, join(d, f))));
  return [...found.sort(), ...SUPPORTING.filter((f) => existsSync(join(ROOT, f)))];
}

const files = testFiles();
const work = mkdtempSync(join(tmpdir(), 'unitrace-reliability-'));
const figuresFile = join(work, 'figures.jsonl');
const resultsFile = join(work, 'results.json');
writeFileSync(figuresFile, '');
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra, ...files],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, UNITRACE_RELIABILITY_REPORT: figuresFile, ...(long ? { UNITRACE_FUZZ: 'long' } : {}) },
  },
);
const seconds = ((Date.now() - started) / 1000).toFixed(0);

const figures = readFileSync(figuresFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));
const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { testResults: [] };
rmSync(work, { recursive: true, force: true });

/** Per file: passed, failed and expected-to-fail tests, from vitest's JSON report. */
const byFile = new Map();
for (const file of results.testResults ?? []) {
  const rel = relative(ROOT, file.name);
  const counts = { passed: 0, failed: 0, skipped: 0, seconds: undefined };
  for (const t of file.assertionResults ?? []) {
    if (t.status === 'passed') counts.passed++;
    else if (t.status === 'failed') counts.failed++;
    else counts.skipped++;
  }
  if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') counts.failed++;
  counts.seconds = typeof file.startTime === 'number' && typeof file.endTime === 'number' ? (file.endTime - file.startTime) / 1000 : undefined;
  byFile.set(rel, counts);
}

const n = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : '—');
const cell = (s) => String(s ?? '').replace(/\|/g, '\\|');
const git = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const commit = git(['rev-parse', '--short', 'HEAD']);
const dirty = git(['status', '--porcelain']) !== '' ? ' plus uncommitted changes' : '';
const failedFiles = [...byFile.entries()].filter(([, c]) => c.failed > 0).map(([f]) => f);
const total = (key) => figures.reduce((sum, f) => sum + (f[key] ?? 0), 0);

let table = '';
table += `Figures of one run: ${new Date().toISOString().slice(0, 10)}, commit ${commit}${dirty}, Node ${process.version}, `;
table += `${long ? '`npm run fuzz` case counts (UNITRACE_FUZZ=long)' : '`npm test` case counts'}, ${seconds} s in all. `;
table += `${files.length} test files, ${failedFiles.length === 0 ? 'all passed' : `FAILED: ${failedFiles.join(', ')}`}.\n\n`;
table += '| Test | Package | One case is | Cases | Accepted | Rejected | Lost (counted) | Uncounted | Seed | Note |\n';
table += '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n';
for (const f of figures) {
  table += `| ${cell(f.test)} | ${cell(f.package)} | ${cell(f.caseUnit)}; items: ${cell(f.itemUnit)} | ${n(f.cases)} | ${n(f.accepted)} | ${n(f.rejected)} | ${n(f.lost)} | ${n(f.uncounted)} | ${f.seed ?? '—'} | ${cell(f.note ?? '')} |\n`;
}
table += `| **total** | | | ${n(total('cases'))} | ${n(total('accepted'))} | ${n(total('rejected'))} | ${n(total('lost'))} | ${n(total('uncounted'))} | | |\n\n`;
table += 'Test files of this run (tests passed / failed / skipped or expected to fail):\n\n';
for (const f of files) {
  const c = byFile.get(f);
  const time = c?.seconds === undefined ? '' : ` (${c.seconds.toFixed(1)} s)`;
  table += `- \`${f}\`: ${c ? `${c.passed} / ${c.failed} / ${c.skipped}${time}` : 'not run'}\n`;
}

if (dryRun) process.stdout.write(`${table}\n`);
else {
  const doc = readFileSync(DOC, 'utf8');
  const START = marker(long, false);
  const END = marker(long, true);
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) {
    process.stderr.write(`reliability-report: ${DOC} has no ${START} … ${END} markers\n`);
    process.exit(2);
  }
  writeFileSync(DOC, `${doc.slice(0, a + START.length)}\n${table}${doc.slice(b)}`);
  process.stdout.write(`reliability-report: ${figures.length} figure lines from ${files.length} files written to RELIABILITY.md\n`);
}
process.exit(run.status === 0 && failedFiles.length === 0 ? 0 : 1);
