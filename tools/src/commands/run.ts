// `unitrace run`: boots the demo machine (or a firmware of your own) with QEMU's tracing options, a QMP socket and an
// HMP prompt, and ends with a summary: events per source, handshakes, losses per hop, and the files written.
import type { Readable, Writable } from 'node:stream';
import { type Sink, type SinkEnv, TraceError, createRegistry, createTracer, loadCatalog } from '@unitrace/core';
import {
  type BoardName,
  type GuestOutcome,
  type QmpServer,
  type TraceFileControl,
  type VcpuMode,
  createHmp,
  formatMonitorAddress,
  parseFwCfgOption,
  parseMonitorAddress,
  createMachineMonitor,
  startQmpServer,
} from '@unitrace/emulator';
import { CountingSink } from '../demo/counting-sink.js';
import { demoFiles } from '../demo/demo-files.js';
import { KERNEL_SOURCE, createDemoMachine } from '../demo/demo-machine.js';
import { runHmpPrompt } from '../demo/hmp-prompt.js';
import { buildKernel } from '../demo/kernel-image.js';
import { DEFAULT_BACKENDS, backendFile, createBackends, loadBackends } from '../demo/run-backends.js';
import { applyDefaultTrace, applyRunTrace } from '../demo/run-trace.js';
import { summaryLines } from '../demo/summary.js';
import { timeOrdered } from '../demo/time-order-sink.js';

/** Options of `unitrace run`, as commander hands them over. */
export interface RunOptions {
  /** `--trace [enable=]PATTERN[,events=FILE][,file=FILE]`, in order. */
  readonly trace?: readonly string[];
  /** `--backend NAME[:ARG]`; none: DEFAULT_BACKENDS. */
  readonly backend?: readonly string[];
  /** `--qmp unix:PATH|tcp:HOST:PORT`. */
  readonly qmp?: string;
  /** `--monitor stdio`. */
  readonly monitor?: string;
  /** `-S`: start paused until `cont`. */
  readonly paused?: boolean;
  readonly board?: string;
  readonly mode?: string;
  /** A GuestMain module to run instead of the demo firmware. */
  readonly firmware?: string;
  /** A catalog to use instead of the demo machine's. */
  readonly catalog?: string;
  /** UT32 assembly of a kernel for the catalog's `kernel` source (default: the demo kernel with the demo catalog). */
  readonly kernel?: string;
  /** The kernel command line (QEMU `-append`). */
  readonly append?: string;
  /** QEMU `-fw_cfg [name=]NAME,file=PATH|string=STR` items. */
  readonly fwCfg?: readonly string[];
}

/** Where `unitrace run` reads and writes (the process's own streams by default). */
export interface RunIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Runs the machine and resolves to the exit status: the guest's halt code (0 when it halts with 0), 1 for a guest
 * error, 128 + N after signal N. Throws TraceError for anything wrong before the machine starts (E_USAGE: status 2;
 * E_SINK_LOAD, E_SINK_OPTIONS, E_IO, catalog errors: status 1). `--trace help` lists the events and resolves 0.
 */
export async function runRun(options: RunOptions, io: RunIo = processIo()): Promise<number> {
  const say = (line: string): void => void io.stderr.write(`unitrace: ${line}\n`);
  const board = choice(options.board ?? 'pc', ['pc', 'virt'], '--board') as BoardName;
  const mode = choice(options.mode ?? 'worker', ['worker', 'in-thread'], '--mode') as VcpuMode;
  if (options.monitor !== undefined && options.monitor !== 'stdio') {
    throw new TraceError('E_USAGE', `--monitor ${options.monitor}: only 'stdio' is supported (use --qmp for a socket)`);
  }
  const qmpAddress = options.qmp === undefined ? undefined : parseMonitorAddress(qmpOption(options.qmp));

  const catalogPath = options.catalog ?? demoFiles().catalog;
  const registry = createRegistry(loadCatalog(catalogPath));
  let traceFile: string | undefined;
  if ((options.trace ?? []).length === 0) applyDefaultTrace(registry);
  else {
    const result = applyRunTrace(registry, options.trace!, say, (name) => void io.stdout.write(`${name}\n`));
    if (result.help) return 0;
    traceFile = result.file;
  }
  const loaded = await loadBackends(options.backend?.length ? options.backend : DEFAULT_BACKENDS, traceFile, io.cwd);
  const userItems = (options.fwCfg ?? []).map(parseFwCfgOption);
  const kernelSource = registry.source(KERNEL_SOURCE);
  if (options.kernel !== undefined && kernelSource?.kind !== 'guest') {
    throw new TraceError('E_USAGE', `--kernel needs a guest source named '${KERNEL_SOURCE}' in the catalog`);
  }
  const kernelFile = options.kernel ?? (options.catalog === undefined ? demoFiles().kernelSource : undefined);
  const kernel = kernelSource?.kind === 'guest' && kernelFile !== undefined ? buildKernel(kernelFile, kernelSource) : undefined;
  const firmware = options.firmware ?? demoFiles().firmware;

  const tracer = createTracer({ registry });
  const reported = new Set<string>();
  const env: SinkEnv = {
    pid: tracer.pid,
    clock: tracer.clock,
    onError: (err) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!reported.has(message)) say(`${message} (further failures are counted)`);
      reported.add(message);
    },
  };
  const backends = await createBackends(loaded, env).catch(async (err: unknown) => {
    await tracer.close();
    throw err;
  });
  const counter = new CountingSink(registry);
  tracer.addSink(counter);
  // Lines for a human come in time order (guest batches arrive after host events that happened later).
  for (const b of backends) tracer.addSink(b.module.name === 'stderr' ? timeOrdered(b.sink) : b.sink);

  let qmp: QmpServer | undefined;
  const cleanup: Array<() => void> = [];
  try {
    const demo = createDemoMachine({
      tracer,
      board,
      startPaused: options.paused === true,
      kernel,
      cmdline: options.append,
      userItems,
      onWarning: (m) => say(`warning: ${m}`),
    });
    const { machine, channels } = demo;
    const traceFile = traceFileControl(backends.find((b) => b.module.name === 'simple')?.sink);
    const target = createMachineMonitor(machine, { channels, ...(traceFile ? { traceFile } : {}) });
    const shutdown = new Promise<void>((resolve) => {
      cleanup.push(machine.onStateChange((c) => c.to === 'shutdown' && resolve()));
    });
    let signalled: NodeJS.Signals | undefined;
    for (const signal of Object.keys(SIGNALS) as NodeJS.Signals[]) {
      const handler = (): void => {
        signalled ??= signal;
        say(`terminating on signal ${signal}`);
        void machine.quit('host-signal');
      };
      process.on(signal, handler);
      cleanup.push(() => process.off(signal, handler));
    }
    if (qmpAddress) {
      qmp = await startQmpServer(target, qmpAddress.kind === 'unix' ? { unix: qmpAddress.path } : { tcp: qmpAddress });
      say(`QMP listening on ${formatMonitorAddress(qmp.address)}`);
    }
    const what = kernel ? `, kernel ${kernel.bytes.length} bytes at 0x${kernel.origin.toString(16)}` : '';
    say(`${board} machine, ${mode} vCPU: ${options.firmware ? firmware : 'demo firmware'}${what}${options.paused ? ' (paused: cont to start)' : ''}`);

    const started = performance.now();
    let outcome: GuestOutcome | undefined;
    const guest = machine.runGuest(firmware, { board }, { mode }).then((o) => {
      outcome = o;
    });
    let prompt: Promise<unknown> | undefined;
    if (options.monitor === 'stdio') {
      const hmp = createHmp(target);
      prompt = runHmpPrompt({
        input: io.stdin,
        output: io.stdout,
        execute: (line) => hmp.execute(line),
        complete: (line) => hmp.complete(line),
        banner: "Unitrace monitor - type 'help' for more information",
        ended: shutdown,
      }).then(async (end) => {
        if (end === 'eof') await machine.quit();
      });
    }
    // Without a monitor the run ends with the guest; with one, only `quit` (or a signal) ends it, as in QEMU.
    if (qmp === undefined && prompt === undefined) await Promise.race([guest, shutdown]);
    else await Promise.race([shutdown, guest.then(() => shutdown)]);
    await machine.quit(signalled ? 'host-signal' : 'host-qmp-quit');
    await Promise.race([guest, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    const seconds = (performance.now() - started) / 1000;
    await prompt;
    await qmp?.close();
    qmp = undefined;

    await tracer.flush();
    const sinks = tracer.sinkStatus().filter((s) => s.name !== counter.name);
    const files = backends.flatMap((b) => {
      const file = backendFile(b);
      return file === undefined ? [] : [{ backend: b.module.name, file }];
    });
    await tracer.close();
    const lines = summaryLines({
      outcome,
      seconds,
      sources: registry.sources.map((s) => ({ name: s.name, records: counter.perSource[s.index]! })),
      channels: channels.map((c) => ({ source: c.source, channel: c.channel, status: c.sourceStatus() })),
      sinks,
      files,
      catalog: options.catalog,
    });
    for (const line of lines) say(line);
    if (signalled) return 128 + SIGNALS[signalled as keyof typeof SIGNALS];
    return exitStatus(outcome);
  } finally {
    for (const undo of cleanup) undo();
    await qmp?.close();
    await tracer.close();
  }
}

/** The exit status of a run that ended with `outcome`: the halt code (as the OS keeps 8 bits, never 0 for non-0). */
export function exitStatus(outcome: GuestOutcome | undefined): number {
  if (outcome === undefined || outcome.kind === 'returned' || outcome.kind === 'terminated') return 0;
  if (outcome.kind === 'threw') return 1;
  return outcome.code === 0 ? 0 : outcome.code & 0xff || 1;
}

/** The simple backend's trace-file controls (HMP `trace-file`), when `sink` has them. */
function traceFileControl(sink: Sink | undefined): TraceFileControl | undefined {
  const c = sink as Partial<TraceFileControl> | undefined;
  const ok = typeof c?.traceFile === 'function' && typeof c.setTraceFileEnabled === 'function' && typeof c.setTraceFile === 'function';
  return ok ? (sink as unknown as TraceFileControl) : undefined;
}

/** QEMU's `-qmp` spellings keep working: `,server`, `,nowait`, `,server=on` and `,wait=off` are accepted and dropped. */
function qmpOption(text: string): string {
  const [address, ...flags] = text.split(',');
  for (const flag of flags) {
    if (!['server', 'nowait', 'server=on', 'wait=off'].includes(flag)) {
      throw new TraceError('E_USAGE', `--qmp ${text}: unsupported option '${flag}' (the server never waits for a client)`);
    }
  }
  return address!;
}

function choice(value: string, allowed: readonly string[], option: string): string {
  if (!allowed.includes(value)) throw new TraceError('E_USAGE', `${option} ${value}: expected ${allowed.join(' or ')}`);
  return value;
}

function processIo(): RunIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
