// HMP completion: command names, `info` subcommands, then each command's own arguments (event names, on/off).
import { compilePattern } from '@unitrace/core';
import { isHmpSpace } from './hmp-args.js';
import { type EventNameLookup, type HmpCommand, hmpCommands } from './hmp-commands.js';

/** The commands a table entry answers to (`cont|c` → cont, c). */
export function aliases(cmd: HmpCommand): string[] {
  return cmd.name.split('|');
}

/** The entry of `table` that answers to `name`, or undefined. */
export function findCommand(table: readonly HmpCommand[], name: string): HmpCommand | undefined {
  return table.find((cmd) => aliases(cmd).includes(name));
}

/** Candidates for the last word of `line`, sorted and without duplicates. A trailing space starts a new word. */
export function completeHmpLine(table: readonly HmpCommand[], eventNames: EventNameLookup, line: string): string[] {
  const words = line.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '');
  if (words.length === 0 || isHmpSpace(line[line.length - 1])) words.push('');
  return [...new Set(completeIn(table, table, eventNames, words))].sort();
}

function completeIn(top: readonly HmpCommand[], table: readonly HmpCommand[], eventNames: EventNameLookup, words: readonly string[]): string[] {
  const first = words[0] ?? '';
  if (words.length <= 1) return table.flatMap((cmd) => aliases(cmd).filter((alias) => alias.startsWith(first)));
  const cmd = findCommand(table, first);
  if (cmd === undefined) return [];
  if (cmd.name === 'help|?') return completeIn(top, top, eventNames, words.slice(1));
  if (cmd.sub) return completeIn(top, cmd.sub, eventNames, words.slice(1));
  return cmd.complete?.(eventNames, words.length - 2, words[words.length - 1]!) ?? [];
}

/** What a completer needs to know about a machine it only reaches over QMP. */
export interface RemoteCompletionInfo {
  /** Every event name (from `trace-event-get-state {"name": "*"}`), any order. */
  readonly eventNames: readonly string[];
  /** Whether the machine has `trace-file` (`help trace-file` is not `unknown command`). */
  readonly traceFile?: boolean;
}

/**
 * A completer for an HMP prompt that talks to a remote machine (`unitrace monitor`): the same answers as
 * `createHmp(...).complete`, from a list of names instead of a registry. Must be rebuilt if the catalog changes.
 */
export function createHmpCompleter(info: RemoteCompletionInfo): (line: string) => string[] {
  const table = hmpCommands(info.traceFile === true);
  const names = [...info.eventNames];
  const lookup: EventNameLookup = (pattern) => {
    const test = compilePattern(pattern);
    return names.filter((name) => test(name));
  };
  return (line) => completeHmpLine(table, lookup, line);
}
