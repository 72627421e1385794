// The `unitrace` command: subcommands, and the top-level catch that turns user errors into one line.
import { Command, CommanderError } from 'commander';
import { isTraceError } from '@unitrace/core';

/** Version printed by `unitrace --version`. */
export const VERSION = '0.1.0';

function buildProgram(): Command {
  const program = new Command('unitrace')
    .description('One trace for a whole emulated machine: host, firmware and guest kernel events.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  return program;
}

/**
 * Runs the command line `argv` (without node and script). Never throws: a user error prints one line on stderr
 * and sets exit status 1, a usage error 2; an unexpected bug prints its stack and sets 70.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return 2;
  }
  if (isTraceError(err)) {
    process.stderr.write(`unitrace: ${err.toString()}\n`);
    return err.code === 'E_USAGE' ? 2 : 1;
  }
  process.stderr.write(`unitrace: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 70;
}
