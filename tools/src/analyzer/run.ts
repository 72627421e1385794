// simpletrace.run for analyzers: `[--no-header] <trace-events> <trace-file>` from argv, errors as one line.
import { basename } from 'node:path';
import { isTraceError } from '@unitrace/core';
import type { Analyzer } from './analyzer.js';
import { process as processTrace } from './process.js';

/**
 * Runs `analyzer` over the files named by `argv` (default: this process's arguments), as simpletrace.run does:
 * `[--no-header] <trace-events> <trace-file>`. Resolves to the exit status it also sets on `process.exitCode`:
 * 0 on success; 2 with a usage line for a wrong command line; 1 with one `<script>: message` line on stderr for a
 * TraceError (bad catalog, corrupt trace). Anything else a handler throws is rethrown untouched.
 */
export async function run(analyzer: Analyzer, argv: readonly string[] = globalThis.process.argv.slice(2)): Promise<number> {
  const script = basename(globalThis.process.argv[1] ?? 'analyzer');
  const noHeader = argv[0] === '--no-header';
  const files = noHeader ? argv.slice(1) : argv;
  if (files.length !== 2 || files.some((f) => f.startsWith('-') && f !== '-')) {
    globalThis.process.stderr.write(`usage: ${script} [--no-header] <trace-events> <trace-file>\n`);
    globalThis.process.exitCode = 2;
    return 2;
  }
  try {
    await processTrace(analyzer, files[0], files[1], { noHeader });
  } catch (err) {
    if (!isTraceError(err)) throw err;
    globalThis.process.stderr.write(`${script}: ${err.toString()}\n`);
    globalThis.process.exitCode = 1;
    return 1;
  }
  return 0;
}
