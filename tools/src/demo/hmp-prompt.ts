// An HMP prompt on a terminal or a pipe: `(qemu) `, one command at a time, completion, history, Ctrl-D to leave.
// Used by `unitrace run --monitor stdio` (a local machine) and `unitrace monitor` (a machine reached over QMP).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** What a prompt drives. */
export interface HmpPromptOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Runs one command line; resolves to its output (lines ending in `\n`). */
  execute(line: string): Promise<string>;
  /** Candidates for the last word of a line (sorted). */
  complete(line: string): string[];
  /** Printed once before the first prompt. */
  readonly banner?: string;
  /** Resolves when the prompt must end (the machine quit or the connection closed). */
  readonly ended?: Promise<unknown>;
}

/** The prompt QEMU's human monitor shows. */
export const HMP_PROMPT = '(qemu) ';

/** Why a prompt ended: end of input (Ctrl-D), a `quit` command, or the `ended` promise. */
export type HmpPromptEnd = 'eof' | 'quit' | 'ended';

/**
 * Reads command lines until end of input (Ctrl-D), a `quit`, or `ended`, running them one at a time in order.
 * Never rejects: a failing command prints its error.
 */
export async function runHmpPrompt(options: HmpPromptOptions): Promise<HmpPromptEnd> {
  const { input, output } = options;
  const terminal = (output as { isTTY?: boolean }).isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({
    input,
    output,
    terminal,
    historySize: 1000,
    removeHistoryDuplicates: true,
    completer: (line: string): [string[], string] => {
      const word = /[ \t]$/.test(line) ? '' : (line.split(/[ \t]+/).pop() ?? '');
      try {
        const hits = options.complete(line);
        // One candidate is completed with a space after it, as QEMU's monitor readline does.
        return [hits.length === 1 ? [`${hits[0]} `] : hits, word];
      } catch {
        return [[], word];
      }
    },
  });
  rl.setPrompt(HMP_PROMPT);
  if (options.banner) output.write(`${options.banner}\n`);
  // An object, not a `let`: the `ended` callback changes it while the loop runs.
  const state: { end: HmpPromptEnd } = { end: 'eof' };
  const closed = new Promise<void>((resolve) => rl.once('close', resolve));
  void options.ended?.then(() => {
    state.end = 'ended';
    rl.close();
  });
  rl.prompt();
  try {
    for await (const line of rl) {
      const text = await options.execute(line).catch((err: unknown) => `${err instanceof Error ? err.message : String(err)}\n`);
      if (text) output.write(text);
      if (/^\s*(quit|q)\s*$/.test(line)) {
        state.end = 'quit';
        break;
      }
      if (state.end === 'ended') break;
      rl.prompt();
    }
  } finally {
    rl.close();
  }
  await closed;
  return state.end;
}
