// The QMP commands of a Unitrace machine: QEMU's shapes for the standard ones, plus query-trace-sources and
// query-trace-sinks.
import { isTraceError } from '@unitrace/core';
import type { HmpEngine } from './hmp.js';
import type { QmpOutput } from './json-value.js';
import { type ArgSpec, type CheckedArgs, genericError } from './qmp-args.js';
import type { MonitorTarget } from './target.js';
import { NO_SINKS, sinkToQmp, sourceToQmp } from './trace-sources.js';
import type { MonitorVersion } from './version.js';

/** What a command handler may use. */
export interface QmpCommandContext {
  readonly target: MonitorTarget;
  readonly version: MonitorVersion;
  readonly hmp: HmpEngine;
  /** Turns on out-of-band execution for this connection (qmp_capabilities `enable: ["oob"]`). */
  enableOob(): void;
}

/** A command's reply value, and what to do once the reply has been sent. */
export interface QmpReply {
  readonly value: QmpOutput;
  readonly after?: () => void | Promise<void>;
}

/** One QMP command. */
export interface QmpCommand {
  readonly name: string;
  readonly args: readonly ArgSpec[];
  /** Runs with checked arguments; throws QmpFailure (or TraceError, answered as GenericError). */
  run(ctx: QmpCommandContext, args: CheckedArgs): QmpReply | Promise<QmpReply>;
}

/** Capabilities the greeting offers and qmp_capabilities may enable. No command here is allowed out of band. */
export const QMP_CAPABILITIES: readonly string[] = ['oob'];

const EMPTY: QmpReply = { value: {} };

/** Runs `action`, turning a TraceError into a GenericError with the same one-line message. */
async function asGeneric<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (isTraceError(err)) throw genericError(err.message);
    throw err;
  }
}

/** The commands, in the order query-commands lists them. */
export const QMP_COMMANDS: readonly QmpCommand[] = [
  {
    name: 'qmp_capabilities',
    args: [{ name: 'enable', type: { enumList: QMP_CAPABILITIES }, optional: true }],
    // In command mode the session answers this itself; here it is only ever the negotiation step.
    run(ctx, args) {
      if ((args['enable'] as readonly string[] | undefined)?.includes('oob')) ctx.enableOob();
      return EMPTY;
    },
  },
  {
    name: 'query-commands',
    args: [],
    run: () => ({ value: QMP_COMMANDS.map((cmd) => ({ name: cmd.name })) }),
  },
  {
    name: 'query-version',
    args: [],
    run: (ctx) => ({ value: { qemu: { ...ctx.version.qemu }, package: ctx.version.package } }),
  },
  {
    name: 'query-status',
    args: [],
    run(ctx) {
      const status = ctx.target.runState();
      return { value: { status, running: status === 'running' } };
    },
  },
  {
    name: 'stop',
    args: [],
    async run(ctx) {
      await asGeneric(() => ctx.target.stop());
      return EMPTY;
    },
  },
  {
    name: 'cont',
    args: [],
    async run(ctx) {
      await asGeneric(() => ctx.target.cont());
      return EMPTY;
    },
  },
  {
    name: 'quit',
    args: [],
    run: (ctx) => ({ value: {}, after: () => ctx.target.quit() }),
  },
  {
    name: 'trace-event-get-state',
    args: [{ name: 'name', type: 'str' }],
    run: async (ctx, args) => asGeneric(() => ({ value: ctx.target.registry.queryState(args['name'] as string) })),
  },
  {
    name: 'trace-event-set-state',
    args: [
      { name: 'name', type: 'str' },
      { name: 'enable', type: 'bool' },
      { name: 'ignore-unavailable', type: 'bool', optional: true },
    ],
    run: async (ctx, args) =>
      asGeneric(() => {
        // Synchronous: every registry listener (guest state pages) has run before the reply is written.
        ctx.target.registry.applyState(args['name'] as string, args['enable'] as boolean, args['ignore-unavailable'] === true);
        return EMPTY;
      }),
  },
  {
    name: 'human-monitor-command',
    args: [
      { name: 'command-line', type: 'str' },
      { name: 'cpu-index', type: 'int', optional: true },
    ],
    async run(ctx, args) {
      const cpu = args['cpu-index'] as bigint | undefined;
      if (cpu !== undefined && (cpu < 0n || cpu >= BigInt(ctx.target.cpuCount ?? 1))) {
        throw genericError("Parameter 'cpu-index' expects a CPU number");
      }
      const run = await ctx.hmp.run(args['command-line'] as string);
      const after = run.deferred.length === 0 ? undefined : async () => {
        for (const action of run.deferred) await action();
      };
      // HMP output reaches QMP with the monitor's \r\n line ends.
      return { value: run.output.replace(/\n/g, '\r\n'), after };
    },
  },
  {
    name: 'query-trace-sources',
    args: [],
    run: (ctx) => ({ value: ctx.target.traceSources().map(sourceToQmp) }),
  },
  {
    name: 'query-trace-sinks',
    args: [],
    run(ctx) {
      const sinks = ctx.target.traceSinks?.();
      if (sinks === undefined) throw genericError(NO_SINKS);
      return { value: sinks.map(sinkToQmp) };
    },
  },
];

/** The command named `name`, or undefined. */
export function findQmpCommand(name: string): QmpCommand | undefined {
  return QMP_COMMANDS.find((cmd) => cmd.name === name);
}
