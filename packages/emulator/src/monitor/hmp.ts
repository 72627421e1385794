// The human monitor: parses a command line as QEMU's HMP does, runs it, and completes command and event names.
import { isHmpSpace, parseArgsType, parseHmpArgs, skipSpace } from './hmp-args.js';
import { errorText, type EventNameLookup, type HmpCommand, type HmpContext, hmpCommands } from './hmp-commands.js';
import { completeHmpLine, findCommand } from './hmp-complete.js';
import type { MonitorTarget } from './target.js';
import { DEFAULT_MONITOR_VERSION, type MonitorVersion } from './version.js';

/** An HMP for one machine, for a prompt (`unitrace run --monitor stdio`) or for QMP's human-monitor-command. */
export interface Hmp {
  /**
   * Runs one command line and resolves to its output, lines ending in `\n` ('' when it prints nothing).
   * `quit` resolves after the target has been told to quit. Never rejects.
   */
  execute(line: string): Promise<string>;
  /** Candidates for the last word of `line`: command names, `info` subcommands, event names, on/off. Sorted. */
  complete(line: string): string[];
}

/** Options of `createHmp`. */
export interface HmpOptions {
  /** What `info version` reports (default: DEFAULT_MONITOR_VERSION). */
  readonly version?: MonitorVersion;
}

/** A command's output and the actions to run once the output has been delivered. */
export interface HmpRun {
  readonly output: string;
  readonly deferred: ReadonlyArray<() => void | Promise<void>>;
}

/** Builds a standalone HMP over `target`. The command table is fixed at creation (trace-file or not). */
export function createHmp(target: MonitorTarget, options: HmpOptions = {}): Hmp {
  const engine = new HmpEngine(target, options.version ?? DEFAULT_MONITOR_VERSION);
  return {
    async execute(line) {
      const run = await engine.run(line);
      for (const action of run.deferred) {
        try {
          await action();
        } catch (err) {
          return `${run.output}Error: ${errorText(err)}\n`;
        }
      }
      return run.output;
    },
    complete: (line) => engine.complete(line),
  };
}

type Resolved = { readonly cmd: HmpCommand; readonly pos: number } | { readonly error: string } | undefined;

/** The HMP interpreter. The QMP session uses `run` directly so it can send its reply before deferred actions. */
export class HmpEngine {
  readonly #target: MonitorTarget;
  readonly #version: MonitorVersion;
  readonly #commands: readonly HmpCommand[];
  readonly #eventNames: EventNameLookup;

  constructor(target: MonitorTarget, version: MonitorVersion) {
    this.#target = target;
    this.#version = version;
    this.#commands = hmpCommands(target.traceFile !== undefined);
    this.#eventNames = (pattern) => target.registry.match(pattern).map((ref) => ref.decl.name);
  }

  /** Parses and runs `line`; never rejects (a failing command prints its error). */
  async run(line: string): Promise<HmpRun> {
    let output = '';
    const deferred: Array<() => void | Promise<void>> = [];
    const ctx: HmpContext = {
      target: this.#target,
      version: this.#version,
      print: (text) => {
        output += text;
      },
      defer: (action) => {
        deferred.push(action);
      },
      printHelp: (words) => {
        output += this.#help(words);
      },
    };
    const resolved = this.#resolve(line, this.#commands, 0);
    if (resolved === undefined) return { output, deferred };
    if ('error' in resolved) return { output: resolved.error, deferred };
    const { cmd, pos } = resolved;
    const parsed = parseHmpArgs(cmd.name, parseArgsType(cmd.argsType), line, pos);
    if (!parsed.ok) {
      let end = pos;
      while (end > 0 && isHmpSpace(line[end - 1])) end--;
      return { output: `${parsed.message}Try "help ${line.slice(0, end)}" for more information\n`, deferred };
    }
    try {
      await cmd.run(ctx, parsed.args);
    } catch (err) {
      ctx.print(`${errorText(err)}\n`);
    }
    return { output, deferred };
  }

  /** See `Hmp.complete`. */
  complete(line: string): string[] {
    return completeHmpLine(this.#commands, this.#eventNames, line);
  }

  /** Finds the command (descending into `info`) and where its arguments start, as QEMU's command parser does. */
  #resolve(line: string, table: readonly HmpCommand[], from: number): Resolved {
    const start = skipSpace(line, from);
    if (start >= line.length) return undefined;
    let p = start;
    while (p < line.length && line[p] !== '/' && !isHmpSpace(line[p])) p++;
    const cmd = findCommand(table, line.slice(start, p));
    // QEMU quotes the line from its very start up to the unknown name, so `info foo` is named in full.
    if (cmd === undefined) return { error: `unknown command: '${line.slice(0, p)}'\n` };
    const rest = skipSpace(line, p);
    if (cmd.sub && rest < line.length) return this.#resolve(line, cmd.sub, rest);
    return { cmd, pos: p };
  }

  #help(words: readonly string[]): string {
    let table = this.#commands;
    for (let i = 0; i < words.length; i++) {
      const cmd = findCommand(table, words[i]!);
      if (cmd === undefined) return `unknown command: '${words.slice(0, i + 1).join(' ')}'\n`;
      const prefix = words.slice(0, i).map((w) => `${w} `).join('');
      if (cmd.sub && i + 1 < words.length) {
        table = cmd.sub;
        continue;
      }
      if (cmd.sub) return dump(cmd.sub, `${prefix}${words[i]} `);
      return helpLine(cmd, prefix);
    }
    return dump(table, '');
  }
}

function helpLine(cmd: HmpCommand, prefix: string): string {
  return `${prefix}${cmd.name} ${cmd.params} -- ${cmd.help}\n`;
}

function dump(table: readonly HmpCommand[], prefix: string): string {
  return table.map((cmd) => helpLine(cmd, prefix)).join('');
}
