// The `unitrace` command: subcommands, and the top-level catch that turns user errors into one line.
// Each action imports its implementation when it runs, so `unitrace --version` loads almost nothing.
import { Command, CommanderError, Option } from 'commander';
import { CONVERT_TARGETS } from './commands/convert-targets.js';
import { GEN_TARGETS } from './commands/gen-targets.js';

/** Version printed by `unitrace --version`. */
export const VERSION = '0.1.0';

const writeOut = (line: string): void => {
  process.stdout.write(Buffer.from(`${line}\n`, 'latin1'));
};
const writeErr = (line: string): void => {
  process.stderr.write(Buffer.from(`unitrace: ${line}\n`, 'latin1'));
};

function setExit(code: number): void {
  if (code !== 0) process.exitCode = code;
}

function buildProgram(): Command {
  const program = new Command('unitrace')
    .description('One trace for a whole emulated machine: host, firmware and guest kernel events.')
    .version(VERSION)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`unitrace: ${s.replace(/^error: /, '')}`),
    });

  program
    .command('run')
    .description('boot the demo machine (firmware, then a UT32 kernel) and trace host, firmware and kernel on one time axis')
    .addOption(new Option('--trace <[enable=]PATTERN[,events=FILE][,file=FILE]>', "QEMU's -trace, applied in order; 'help' lists the events").argParser(collect).default([], 'all but per-access bus events'))
    .addOption(new Option('--backend <NAME[:ARG]>', 'a backend (simple, stderr, ust-json or a module path); repeatable').argParser(collect).default([], 'stderr:timestamp=tid and simple'))
    .option('--qmp <unix:PATH|tcp:HOST:PORT>', 'serve QMP there (loopback TCP only); the run then lasts until quit')
    .option('--monitor <stdio>', 'an HMP prompt on this terminal; the run then lasts until quit')
    .option('-S', 'start paused: the guest waits for cont', false)
    .addOption(new Option('--board <board>', 'where fw_cfg and the hypercall port sit').choices(['pc', 'virt']).default('pc'))
    .addOption(new Option('--mode <mode>', 'vCPU on a worker thread, or on the main thread (deterministic)').choices(['worker', 'in-thread']).default('worker'))
    .option('--firmware <module>', 'run this GuestMain module instead of the demo firmware')
    .option('--catalog <file>', "trace-events catalog of the machine (default: the demo machine's)")
    .option('--kernel <file.s>', "UT32 assembly of a kernel for the catalog's 'kernel' source (default: the demo kernel)")
    .option('--append <cmdline>', 'kernel command line')
    .option('--fw-cfg <[name=]NAME,file=PATH|string=STR>', "QEMU's -fw_cfg item; repeatable", collect, [])
    .addHelpText('after', '\nExit status: the guest\'s halt code (0 for a clean halt), 1 for errors, 2 for usage errors.\n\nExamples:\n  unitrace run\n  unitrace run --trace \'fw_*\' --trace \'kernel_*\' --backend ust-json:trace.json\n  unitrace run -S --qmp unix:/tmp/qmp.sock   # then: unitrace monitor unix:/tmp/qmp.sock')
    .action(async (opts: Record<string, unknown>) => {
      const { runRun } = await import('./commands/run.js');
      setExit(await runRun({ ...opts, paused: opts.S === true }));
    });

  program
    .command('monitor')
    .description('an HMP prompt for a machine started with unitrace run --qmp')
    .argument('<address>', 'unix:PATH or tcp:HOST:PORT')
    .addHelpText('after', '\nTab completes commands and event names; Ctrl-D leaves, quit stops the machine.\n\nExample:\n  unitrace monitor unix:/tmp/qmp.sock')
    .action(async (address: string) => {
      const { runMonitor } = await import('./commands/monitor.js');
      setExit(await runMonitor(address));
    });

  program
    .command('lint')
    .description('check catalogs (following includes) and print every diagnostic, GCC-style')
    .argument('<catalog...>', 'trace-events files; a directory means every trace-events file below it')
    .option('--summary', 'also print one line per file and a total: events, errors, warnings')
    .addHelpText('after', '\nExit status: 0 when no catalog has an error, 1 otherwise.\n\nExample:\n  unitrace lint --summary hw/')
    .action(async (catalogs: string[], opts: { summary?: boolean }) => {
      const { runLint } = await import('./commands/lint.js');
      setExit(runLint(catalogs, opts, writeOut));
    });

  program
    .command('events')
    .description('list events: source, id, state, name and format, one per line')
    .argument('[catalog]', 'trace-events file (default: the built-in demo machine); one argument that is not a file is a PATTERN')
    .argument('[pattern]', 'only events whose name matches this glob (* and ?)')
    .option('--trace <pattern>', "QEMU's -trace option ([enable=]PATTERN[,events=FILE]), applied in order before listing; repeatable", collect, [])
    .addHelpText('after', "\nHost ids are decimal, guest ids hex. States: enabled, disabled, unavailable (the `disable` property).\n\nExample:\n  unitrace events --trace 'fw_cfg_*' --trace -fw_cfg_read trace-events")
    .action(async (catalog: string | undefined, pattern: string | undefined, opts: { trace: string[] }) => {
      const { runEvents } = await import('./commands/events.js');
      setExit(runEvents([catalog, pattern], opts, writeOut, writeErr));
    });

  program
    .command('gen')
    .description('generate code or data from a catalog')
    .addOption(new Option('--target <target>', 'what to generate').choices(Object.keys(GEN_TARGETS)).makeOptionMandatory())
    .argument('[catalog]', 'trace-events file (default: the built-in demo machine)')
    .option('-o, --output <file>', 'write here instead of stdout')
    .option('--source <name>', 'the source a per-source target generates for')
    .addHelpText('after', () => `\nTargets:\n${Object.entries(GEN_TARGETS).map(([n, t]) => `  ${n.padEnd(12)}${t.description}`).join('\n')}\n\nExample:\n  unitrace gen --target host-ts -o src/generated/trace.ts src/trace-events`)
    .action(async (catalog: string | undefined, opts: { target: string; output?: string; source?: string }) => {
      const [{ runGen }, { defaultCatalogPath }] = await Promise.all([import('./commands/gen.js'), import('./catalog-args.js')]);
      setExit(await runGen(catalog ?? defaultCatalogPath(), opts));
    });

  program
    .command('print')
    .description("print a simpletrace file as QEMU's simpletrace.py does, or as log-backend lines")
    .argument('[catalog]', 'trace-events file (left out: the built-in demo machine)')
    .argument('[tracefile]', 'simpletrace file')
    .addOption(new Option('--style <style>', 'simpletrace: simpletrace.py lines; log: QEMU log-backend lines').choices(['simpletrace', 'log']).default('simpletrace'))
    .option('--no-header', 'the file has no header: ids are positions in the catalog (simpletrace.py --no-header)')
    .option('-o, --output <file>', 'write here instead of stdout')
    .addHelpText('after', '\nOne argument is TRACEFILE, two are CATALOG TRACEFILE.\n\nExample:\n  unitrace print trace-events trace-4242')
    .action(async (catalog: string | undefined, tracefile: string | undefined, opts: { style: string; header: boolean; output?: string }) => {
      const [{ runPrint }, { openOutput }] = await Promise.all([import('./commands/print.js'), import('./io/output.js')]);
      const args = [catalog, tracefile].filter((a): a is string => a !== undefined);
      setExit(await runPrint(args, opts, openOutput(opts.output)));
    });

  program
    .command('convert')
    .description('convert a simpletrace file to another format, streaming')
    .argument('[catalog]', 'trace-events file (left out: the built-in demo machine)')
    .argument('[tracefile]', 'simpletrace file')
    .addOption(new Option('--to <format>', 'output format').choices(Object.keys(CONVERT_TARGETS)).makeOptionMandatory())
    .option('--no-header', 'the file has no header: ids are positions in the catalog')
    .option('-o, --output <file>', 'write here instead of stdout')
    .addHelpText('after', () => `\nFormats:\n${Object.entries(CONVERT_TARGETS).map(([n, t]) => `  ${n.padEnd(10)}${t.description}`).join('\n')}\n\nOne argument is TRACEFILE, two are CATALOG TRACEFILE. A progress bar is drawn on stderr when it is a terminal.\n\nExample:\n  unitrace convert --to chrome -o trace.json trace-events trace-4242`)
    .action(async (catalog: string | undefined, tracefile: string | undefined, opts: { to: string; header: boolean; output?: string }) => {
      const { runConvert } = await import('./commands/convert.js');
      const args = [catalog, tracefile].filter((a): a is string => a !== undefined);
      setExit(await runConvert(args, opts));
    });

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Runs the command line `argv` (without node and script). Never throws: a user error prints one line on stderr
 * and sets exit status 1, a usage error 2; an unexpected bug prints its stack and sets 70.
 */
export async function main(argv: readonly string[]): Promise<void> {
  // `unitrace … | head`: the reader went away, so there is nothing left to do and nothing to report.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`unitrace: cannot write stdout: ${err.code ?? err.message}\n`);
    process.exit(1);
  });
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    process.exitCode = await exitCodeFor(err);
  }
}

async function exitCodeFor(err: unknown): Promise<number> {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return 2;
  }
  const { isTraceError } = await import('@unitrace/core');
  if (isTraceError(err)) {
    writeErr(err.toString());
    return err.code === 'E_USAGE' ? 2 : 1;
  }
  process.stderr.write(`unitrace: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 70;
}
