// The machine: RAM, buses, guest clock, devices, run state (QMP names) and the vCPUs that run guest programs.
import { TraceError, type Tracer } from '@unitrace/core';
import { type Board, type BoardName, boardByName } from './boards.js';
import type { Device, DeviceContext } from './devices/device.js';
import { type TraceEvents, bindTraceEvents } from './generated/trace.js';
import { type GuestClock, createGuestClock } from './guest-clock.js';
import type { BusStats } from './io/bus-ranges.js';
import { type IoBus, createIoBus } from './io/io-bus.js';
import { type MmioBus, createMmioBus } from './io/mmio-bus.js';
import { type Ram, createRam } from './memory/ram.js';
import { createPrivateTracer, reportOncePerDevice } from './machine-support.js';
import { DeferredWork, type DeferredWorkContext } from './vcpu/deferred-work.js';
import { ExitService } from './vcpu/exit-service.js';
import type { GuestOutcome, VcpuEvents, VcpuMode, VcpuStats } from './vcpu/outcome.js';
import { runInThread } from './vcpu/run-in-thread.js';
import { runOnWorker, type WorkerRun } from './vcpu/run-worker.js';
import { guestModuleUrl } from './vcpu/worker-launch.js';

/** QMP's run states, as far as this machine has them. */
export type RunState = 'prelaunch' | 'running' | 'paused' | 'shutdown';

/** Why a machine shut down (QMP ShutdownCause names); `quit()` is `host-qmp-quit` unless told otherwise. */
export type MachineShutdownCause = 'host-qmp-quit' | 'host-signal' | 'host-error';

/** One run-state transition; `cause` is set when `to` is `shutdown`. */
export interface MachineStateChange {
  readonly from: RunState;
  readonly to: RunState;
  readonly cause?: MachineShutdownCause;
}

/** Options of `createMachine`. */
export interface MachineOptions {
  /** Board (default `pc`). */
  readonly board?: BoardName;
  /** Guest RAM in bytes (default 32 MiB, at most 1 GiB). */
  readonly ramBytes?: number;
  /** The tracer the emulator's tracepoints go to; default: a private tracer with no sinks. */
  readonly tracer?: Tracer;
  /** Guest clock frequency (default 1 GHz; whole kHz). */
  readonly tscHz?: number;
  /** Devices, attached in this order, then reset. */
  readonly devices?: readonly Device[];
  /** Create the machine in `prelaunch` (QEMU `-S`): guests wait for `cont()`. */
  readonly startPaused?: boolean;
  /** Told when a device handler throws (a device bug). Default: one stderr line per device. Must not throw. */
  readonly onDeviceFault?: (err: unknown, device: string) => void;
}

/** Options of `runGuest`. */
export interface RunGuestOptions {
  /** `worker` (default): a vCPU thread, exits cross threads. `in-thread`: direct calls, deterministic. */
  readonly mode?: VcpuMode;
}

/** Machine-wide counters. */
export interface MachineStats {
  readonly vcpus: readonly VcpuStats[];
  readonly io: BusStats;
  readonly mmio: BusStats;
}

/** Creates a machine. Throws TraceError for bad options (E_USAGE) or devices whose claims overlap (E_STATE). */
export function createMachine(options: MachineOptions = {}): Machine {
  return new Machine(options);
}

interface VcpuEntry {
  stats(): VcpuStats;
  readonly done: Promise<GuestOutcome>;
  readonly worker?: WorkerRun;
}

/**
 * A machine. Everything here runs on the main thread; vCPU workers only reach it through exits. Not reusable after
 * `quit()`.
 */
export class Machine {
  /** Where the fixed devices sit (plain data). */
  readonly board: Board;
  /** Guest RAM, shared with every vCPU thread. */
  readonly ram: Ram;
  /** The port bus; devices claim ports on it when attached. */
  readonly io: IoBus;
  /** The MMIO bus. */
  readonly mmio: MmioBus;
  /** The guest clock; `toHostNs` puts guest timestamps on the tracer's time axis. */
  readonly clock: GuestClock;
  /** The tracer the emulator's tracepoints go to (a private one with no sinks unless one was given). */
  readonly tracer: Tracer;
  /** The emulator's tracepoints, bound to `tracer`. */
  readonly trace: TraceEvents;
  /** The attached devices, in attach (and reset) order. */
  readonly devices: readonly Device[];
  #state: RunState;
  readonly #listeners = new Set<(change: MachineStateChange) => void>();
  readonly #vcpus: VcpuEntry[] = [];
  readonly #service: ExitService;
  readonly #deferred: DeferredWork;
  #runningWaiters: Array<(running: boolean) => void> = [];
  readonly #events: VcpuEvents;

  constructor(options: MachineOptions) {
    this.board = boardByName(options.board ?? 'pc');
    this.ram = createRam(options.ramBytes);
    this.tracer = options.tracer ?? createPrivateTracer();
    this.trace = bindTraceEvents(this.tracer);
    this.clock = createGuestClock({ hz: options.tscHz, hostClock: this.tracer.clock });
    const report = options.onDeviceFault ?? reportOncePerDevice();
    const onFault = (err: unknown, owner: string): void => {
      this.trace.machine_device_fault(owner, err instanceof Error ? err.message : String(err));
      report(err, owner);
    };
    this.io = createIoBus({ trace: this.trace, onFault });
    this.mmio = createMmioBus({ trace: this.trace, onFault });
    this.#state = options.startPaused ? 'prelaunch' : 'running';
    // Guest channels decode worker batches after answering the exit; a process exit must still get those records out.
    this.#deferred = new DeferredWork(() => this.tracer.flushSync());
    this.#service = new ExitService({
      deferred: this.#deferred,
      io: this.io,
      mmio: this.mmio,
      canService: () => this.#state === 'running',
      onStart: (link) => this.trace.vcpu_start(link.index, 'worker'),
    });
    this.#events = {
      started: (index, mode) => {
        if (mode === 'in-thread') this.trace.vcpu_start(index, mode);
      },
      ended: (index, outcome) => {
        // Whoever awaits the guest's end may read the trace or the counters: everything it sent is decoded first.
        this.#deferred.drain();
        this.#traceEnd(index, outcome);
      },
    };
    this.devices = [...(options.devices ?? [])];
    const names = new Set<string>();
    const ctx: DeviceContext & DeferredWorkContext = {
      deferred: this.#deferred,
      io: this.io,
      mmio: this.mmio,
      memory: this.ram,
      trace: this.trace,
      tracer: this.tracer,
      clock: this.clock,
      board: this.board,
    };
    for (const device of this.devices) {
      if (names.has(device.name)) throw new TraceError('E_STATE', `two devices are named ${device.name}`);
      names.add(device.name);
      device.attach(ctx);
    }
    for (const device of this.devices) device.reset();
  }

  /** The run state (QMP `query-status`). */
  get state(): RunState {
    return this.#state;
  }

  /** Calls `listener` after every run-state change (a throwing listener is ignored); returns its remover. */
  onStateChange(listener: (change: MachineStateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * QMP `stop`: vCPUs block at their next exit until `cont()` (a vCPU that never exits cannot be stopped: exits
   * are its only preemption points). From `prelaunch` the machine becomes `paused`, as QEMU's runstate table allows;
   * otherwise no effect unless running. The guest clock keeps counting: it is host time.
   */
  stop(): void {
    if (this.#state === 'running' || this.#state === 'prelaunch') this.#setState('paused');
  }

  /** QMP `cont`: runs a paused or prelaunch machine. Throws TraceError('E_STATE') after `quit()`. */
  cont(): void {
    if (this.#state === 'shutdown') throw new TraceError('E_STATE', 'the machine has shut down');
    if (this.#state === 'running') return;
    this.#setState('running');
    for (const wake of this.#runningWaiters.splice(0)) wake(true);
    this.#service.kick();
  }

  /** QMP `system_reset`: resets every device in order and sets the guest clock back to 0. Running guests go on. */
  reset(): void {
    this.trace.machine_reset();
    for (const device of this.devices) device.reset();
    this.clock.reset();
  }

  /** QMP `quit`: terminates every vCPU worker and stops in-thread guests at their next exit. Idempotent. */
  async quit(cause: MachineShutdownCause = 'host-qmp-quit'): Promise<void> {
    // Batches the guests sent before the end are decoded, never dropped (and come before the shutdown in the trace).
    this.#deferred.drain();
    if (this.#state !== 'shutdown') this.#setState('shutdown', cause);
    for (const wake of this.#runningWaiters.splice(0)) wake(false);
    await Promise.all(this.#vcpus.map((v) => v.worker?.terminate()));
    this.#deferred.close();
  }

  /**
   * Runs the guest program at `module` (a path, a file URL or URL; its default export is a GuestMain) on a new
   * vCPU. Resolves with how it ended; never rejects because of the guest. Rejects with TraceError('E_STATE') after
   * `quit()` and TraceError('E_USAGE') when a worker cannot be started.
   */
  async runGuest(
    module: string | URL,
    args: Readonly<Record<string, unknown>> = {},
    options: RunGuestOptions = {},
  ): Promise<GuestOutcome> {
    if (this.#state === 'shutdown') throw new TraceError('E_STATE', 'the machine has shut down');
    const url = guestModuleUrl(module);
    const index = this.#vcpus.length;
    let entry: VcpuEntry;
    if (options.mode === 'in-thread') {
      const host = {
        io: this.io,
        mmio: this.mmio,
        ram: this.ram.buffer,
        clock: this.clock,
        alive: () => this.#state !== 'shutdown',
        whenRunning: () => this.#whenRunning(),
        events: this.#events,
      };
      entry = runInThread(host, index, url, args);
    } else {
      const host = {
        ram: this.ram.buffer,
        clockShared: this.clock.shared,
        service: this.#service,
        events: this.#events,
      };
      const worker = runOnWorker(host, index, url, args);
      entry = { stats: worker.stats, done: worker.done, worker };
    }
    this.#vcpus.push(entry);
    return entry.done;
  }

  /** A snapshot of every counter: exits per vCPU, accesses per device and unassigned accesses per bus. */
  stats(): MachineStats {
    return { vcpus: this.#vcpus.map((v) => v.stats()), io: this.io.stats(), mmio: this.mmio.stats() };
  }

  #whenRunning(): Promise<boolean> {
    if (this.#state === 'running') return Promise.resolve(true);
    if (this.#state === 'shutdown') return Promise.resolve(false);
    return new Promise((resolve) => this.#runningWaiters.push(resolve));
  }

  #setState(to: RunState, cause?: MachineShutdownCause): void {
    const from = this.#state;
    this.#state = to;
    this.trace.machine_state_change(from, to);
    const change: MachineStateChange = cause === undefined ? { from, to } : { from, to, cause };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch {
        // A listener (a monitor connection) failing must not stop the state change or the other listeners.
      }
    }
  }

  #traceEnd(index: number, outcome: GuestOutcome): void {
    if (outcome.kind === 'halted') this.trace.vcpu_halt(index, outcome.code, outcome.exits);
    else if (outcome.kind === 'returned') this.trace.vcpu_return(index, outcome.exits);
    else if (outcome.kind === 'threw') this.trace.vcpu_error(index, outcome.error.message, outcome.exits);
    else this.trace.vcpu_terminated(index, outcome.exits);
  }
}
