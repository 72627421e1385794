// The HMP command table: QEMU's names, argument types and output for the commands a Unitrace machine has.
import { isTraceError } from '@unitrace/core';
import type { HmpArgs } from './hmp-args.js';
import type { MonitorTarget } from './target.js';
import { NO_SINKS, sinksToText, sourcesToText } from './trace-sources.js';
import { type MonitorVersion, versionLine } from './version.js';

/** What a running HMP command can do besides reading the target. */
export interface HmpContext {
  readonly target: MonitorTarget;
  readonly version: MonitorVersion;
  /** Appends to the command's output. */
  print(text: string): void;
  /** Runs `action` once the output has been handed back (QEMU sends quit's SHUTDOWN after the reply). */
  defer(action: () => void | Promise<void>): void;
  /** Prints the help of the command path `words` (`['trace-file']`), as `help trace-file` does. */
  printHelp(words: readonly string[]): void;
}

/** One HMP command (or `info` subcommand), described as QEMU's command tables describe theirs. */
export interface HmpCommand {
  /** Name with `|`-separated aliases: `cont|c`. */
  readonly name: string;
  /** QEMU args_type: `name:s,option:b,vcpu:i?`. */
  readonly argsType: string;
  /** Parameter synopsis shown by help. */
  readonly params: string;
  /** One-line description shown by help. */
  readonly help: string;
  /** Subcommands (`info`): the rest of the line selects one. */
  readonly sub?: readonly HmpCommand[];
  /** Runs the command; prints through `ctx`. Must not throw for anything a user can type. */
  run(ctx: HmpContext, args: HmpArgs): void | Promise<void>;
  /** Candidates for argument `index` (0 is the first argument) starting with `word`. */
  complete?(eventNames: EventNameLookup, index: number, word: string): string[];
}

/** Names of the events a glob matches, in catalog order (the registry's `match`, or a list fetched over QMP). */
export type EventNameLookup = (pattern: string) => string[];

/** The message of a TraceError (one line); anything else is a bug and keeps its class name. */
export function errorText(err: unknown): string {
  if (isTraceError(err)) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** QEMU's `<prefix>*` completion of event names: globbed like the QMP commands, so `?` and `*` work inside. */
export function completeEventNames(eventNames: EventNameLookup, word: string): string[] {
  return eventNames(`${word}*`);
}

const INFO_COMMANDS: readonly HmpCommand[] = [
  {
    name: 'status',
    argsType: '',
    params: '',
    help: 'show whether the machine is running or paused',
    run(ctx) {
      const status = ctx.target.runState();
      const running = status === 'running';
      const detail = !running && status !== 'paused' ? ` (${status})` : '';
      ctx.print(`VM status: ${running ? 'running' : 'paused'}${detail}\n`);
    },
  },
  {
    name: 'trace-events',
    argsType: 'name:s?,vcpu:i?',
    params: '[name] [vcpu]',
    help: 'list trace events (all, or those matching name) with their state',
    run(ctx, args) {
      try {
        // QMP's list is already in reverse iteration order, which is what QEMU prints.
        for (const event of ctx.target.registry.queryState((args['name'] as string | undefined) ?? '*')) {
          ctx.print(`${event.name} : state ${event.state === 'enabled' ? 1 : 0}\n`);
        }
      } catch (err) {
        ctx.print(`${errorText(err)}\n`);
      }
    },
    complete: (eventNames, index, word) => (index === 0 ? completeEventNames(eventNames, word) : []),
  },
  {
    name: 'trace-sinks',
    argsType: '',
    params: '',
    help: "show each trace sink: records delivered, lost to exceptions, and the sink's own counters",
    run(ctx) {
      const sinks = ctx.target.traceSinks?.();
      ctx.print(sinks === undefined ? `${NO_SINKS}\n` : sinksToText(sinks));
    },
  },
  {
    name: 'trace-sources',
    argsType: '',
    params: '',
    help: 'show each trace source: id range, handshake, catalog hashes, losses',
    run(ctx) {
      ctx.print(sourcesToText(ctx.target.traceSources()));
    },
  },
  {
    name: 'version',
    argsType: '',
    params: '',
    help: 'show the QEMU version this monitor follows and the Unitrace package',
    run(ctx) {
      ctx.print(`${versionLine(ctx.version)}\n`);
    },
  },
];

/** Runs a machine control and prints a failure as QEMU's HMP does (`Error: ` and the message). */
async function control(ctx: HmpContext, action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    ctx.print(`Error: ${errorText(err)}\n`);
  }
}

const TRACE_FILE_COMMAND: HmpCommand = {
  name: 'trace-file',
  argsType: 'op:s?,arg:F?',
  params: 'on|off|flush|set [arg]',
  help: 'open, close or flush the trace file, or give it a new name',
  async run(ctx, args) {
    const control = ctx.target.traceFile;
    if (control === undefined) return ctx.print("unknown command: 'trace-file'\n");
    const op = args['op'] as string | undefined;
    const arg = args['arg'] as string | undefined;
    try {
      if (op === undefined) {
        const { name, on } = control.traceFile();
        ctx.print(`Trace file "${name}" ${on ? 'on' : 'off'}.\n`);
      } else if (op === 'on' || op === 'off') await control.setTraceFileEnabled(op === 'on');
      else if (op === 'flush') await control.flush();
      else if (op === 'set') {
        if (arg !== undefined) await control.setTraceFile(arg);
      } else {
        ctx.print(`unexpected argument "${op}"\n`);
        ctx.printHelp(['trace-file']);
      }
    } catch (err) {
      ctx.print(`${errorText(err)}\n`);
    }
  },
  complete: (_names, index, word) => (index === 0 ? ['on', 'off', 'flush', 'set'].filter((w) => w.startsWith(word)) : []),
};

/** The command table: `trace-file` only exists when the simple backend is attached, as in QEMU. */
export function hmpCommands(withTraceFile: boolean): HmpCommand[] {
  const commands: HmpCommand[] = [
    {
      name: 'help|?',
      argsType: 'name:S?',
      params: '[cmd]',
      help: 'show the help of every command, or of cmd',
      run(ctx, args) {
        const words = ((args['name'] as string | undefined) ?? '').split(/\s+/).filter((w) => w !== '');
        ctx.printHelp(words);
      },
    },
    {
      name: 'info',
      argsType: 'item:s?',
      params: '[subcommand]',
      help: 'show information about the machine and its tracing',
      sub: INFO_COMMANDS,
      run(ctx) {
        ctx.printHelp(['info']);
      },
    },
    { name: 'stop|s', argsType: '', params: '', help: 'pause the machine', run: (ctx) => control(ctx, () => ctx.target.stop()) },
    { name: 'cont|c', argsType: '', params: '', help: 'resume the machine', run: (ctx) => control(ctx, () => ctx.target.cont()) },
    {
      name: 'quit|q',
      argsType: '',
      params: '',
      help: 'quit the emulator',
      run(ctx) {
        ctx.defer(() => ctx.target.quit());
      },
    },
    {
      name: 'trace-event',
      argsType: 'name:s,option:b,vcpu:i?',
      params: 'name on|off [vcpu]',
      help: 'switch a trace event, or every event a pattern matches, on or off',
      run(ctx, args) {
        try {
          // QEMU's HMP always ignores unavailable events; the vcpu argument is accepted and ignored since 9.1.
          ctx.target.registry.applyState(args['name'] as string, args['option'] as boolean, true);
        } catch (err) {
          ctx.print(`${errorText(err)}\n`);
        }
      },
      complete(eventNames, index, word) {
        if (index === 0) return completeEventNames(eventNames, word);
        return index === 1 ? ['on', 'off'].filter((w) => w.startsWith(word)) : [];
      },
    },
  ];
  if (withTraceFile) commands.push(TRACE_FILE_COMMAND);
  return commands;
}
