// `unitrace monitor ADDRESS`: an HMP prompt for a machine reached over QMP (`unitrace run --qmp …`), with completion
// of command and event names, history, and Ctrl-D to leave.
import type { Readable, Writable } from 'node:stream';
import { TraceError } from '@unitrace/core';
import { type QmpClient, connectQmp, createHmpCompleter, formatMonitorAddress, parseMonitorAddress } from '@unitrace/emulator';
import { runHmpPrompt } from '../demo/hmp-prompt.js';

/** Where `unitrace monitor` reads and writes. */
export interface MonitorIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Options of `unitrace monitor`. */
export interface MonitorOptions {
  /** Give up connecting after this many milliseconds (default 5000). */
  readonly timeoutMs?: number;
}

/**
 * Connects, learns the machine's event names (trace-event-get-state `*`) and whether it has `trace-file`, and runs
 * the prompt until Ctrl-D, `quit`, or the machine going away. Resolves 0; throws TraceError E_USAGE for a bad
 * address and E_MONITOR when the machine cannot be reached.
 */
export async function runMonitor(address: string, options: MonitorOptions = {}, io: MonitorIo = processIo()): Promise<number> {
  const target = parseMonitorAddress(address);
  const client = await connectQmp(target, { timeoutMs: options.timeoutMs ?? 5000 });
  try {
    const complete = createHmpCompleter(await completionInfo(client));
    const version = client.greeting.QMP.version.package;
    let closedByServer = false;
    const ended = client.closed.then(() => {
      closedByServer = true;
    });
    const end = await runHmpPrompt({
      input: io.stdin,
      output: io.stdout,
      execute: async (line) => {
        try {
          return await client.hmp(line);
        } catch (err) {
          if (closedByServer) return '';
          throw err;
        }
      },
      complete,
      banner: `${version} monitor on ${formatMonitorAddress(target)} - type 'help' for more information`,
      ended,
    });
    if (end === 'ended') io.stderr.write('unitrace: the machine closed the connection\n');
    return 0;
  } finally {
    await client.close();
  }
}

async function completionInfo(client: QmpClient): Promise<{ eventNames: string[]; traceFile: boolean }> {
  const states = await client.execute('trace-event-get-state', { name: '*' });
  if (!Array.isArray(states)) throw new TraceError('E_MONITOR', 'trace-event-get-state did not return a list');
  const eventNames = states.map((s) => String((s as { name?: unknown }).name));
  const help = await client.hmp('help trace-file');
  return { eventNames, traceFile: !help.startsWith('unknown command') };
}

function processIo(): MonitorIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}
