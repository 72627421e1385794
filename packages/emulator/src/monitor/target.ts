// What the monitor drives: the machine seen through QMP's eyes, without depending on the machine's class.
import type { Registry, SinkStatus, SourceInfo, SourceKind } from '@unitrace/core';

/** The machine's run state, named as QEMU's RunState values that a Unitrace machine can be in. */
export type RunState = 'prelaunch' | 'running' | 'paused' | 'shutdown' | 'internal-error' | 'guest-panicked';

/** Why the machine shut down, named as QEMU's ShutdownCause; `host-qmp-quit` is every monitor `quit`. */
export type ShutdownCause = 'host-qmp-quit' | 'host-signal' | 'host-ui' | 'host-error' | 'guest-shutdown' | 'guest-panic';

/**
 * One run-state transition, as the target reports it. The monitor turns it into QMP events: entering `running`
 * gives RESUME, leaving `running` for anything but `shutdown` gives STOP, entering `shutdown` gives SHUTDOWN with
 * `{guest, reason}` from `cause`.
 */
export interface RunStateChange {
  readonly from: RunState;
  readonly to: RunState;
  /** Set when `to` is `shutdown`. */
  readonly cause?: ShutdownCause;
}

/**
 * The trace-file controls of the simple backend (QEMU's `trace-file` HMP command). Structural: the simple sink
 * provides these methods; the monitor never imports the backend. None of them may throw for a bad file name:
 * they throw a TraceError (E_IO) whose one-line message the monitor prints.
 */
export interface TraceFileControl {
  /** The file name and whether the file is open (`trace-file` with no argument). */
  traceFile(): { readonly name: string; readonly on: boolean };
  /** Opens (truncating, writing a new header and mappings) or closes the file. */
  setTraceFileEnabled(on: boolean): void | Promise<void>;
  /** Closes, renames and reopens the file if it was on. */
  setTraceFile(name: string): void | Promise<void>;
  /** Resolves when everything written so far has reached the file. */
  flush(): Promise<void>;
}

/** Where a guest source stands in the channel handshake (DESIGN.md: the guest channel). */
export type HandshakeState = 'none' | 'accepted' | 'refused' | 'mapped-by-name';

/** Records lost on the way from a guest to the sinks, counted per hop. */
export interface TraceSourceLosses {
  /** Records the guest dropped itself (its batch buffer was full), as the guest reports. */
  readonly guestBuffer: number;
  /** Records the host rejected while validating a batch (bad id, length, malformed payload). */
  readonly rejected: number;
  /** Batches missing from the guest's sequence numbers. */
  readonly sequenceGaps: number;
  /**
   * Records missing from those gaps (the guest's cumulative record index jumped), counted exactly. Sinks drop whole
   * records without knowing their source, so their losses are per sink (`traceSinks`), not here.
   */
  readonly gapRecords: number;
}

/**
 * One sink of the machine's tracer, as `query-trace-sinks` shows it: the tracer's `sinkStatus()` entry (records
 * delivered, records lost because its `write` threw, failures) with the sink's own counters when it keeps them.
 */
export type TraceSinkStatus = SinkStatus;

/**
 * The status of one trace source for `query-trace-sources`. The machine and its guest channels fill it; the
 * monitor only renders it. Must be a snapshot: the monitor may keep it while it writes the reply.
 */
export interface TraceSourceStatus {
  readonly name: string;
  readonly kind: SourceKind;
  /** Wire id of local event 0. */
  readonly firstId: bigint;
  /** Number of events in the source's catalog (its id range is firstId .. firstId + count - 1). */
  readonly count: number;
  readonly handshake: HandshakeState;
  /** Why a handshake was refused, or what mapping by name could not resolve; one line. */
  readonly detail?: string;
  /** Hash of the host's catalog for this source (CatalogSource.hash). */
  readonly hostHash: string;
  /** Hash the guest sent in its handshake, when it did. */
  readonly guestHash?: string;
  /** The device the source reaches the host through (`fw_cfg`, `hypercall`), when it has one. */
  readonly channel?: string;
  /** Records accepted from this source so far. */
  readonly records?: number;
  /** Guest event names the host does not know (handshake `mapped-by-name`). */
  readonly unknownEvents?: readonly string[];
  readonly losses: TraceSourceLosses;
}

/**
 * The machine as the monitor sees it. Every method runs on the main thread. `stop`, `cont` and `quit` may be
 * asynchronous (a vCPU worker must park first) and throw a TraceError whose message becomes the QMP error's
 * `desc`; they must not throw for anything a client can send.
 */
export interface MonitorTarget {
  /** The event registry the trace commands read and change. */
  readonly registry: Registry;
  /** The current run state (QMP query-status). */
  runState(): RunState;
  /** Pauses the vCPUs. From `prelaunch` it moves to `paused` without a STOP event, as QEMU does. */
  stop(): void | Promise<void>;
  /** Resumes the vCPUs; throws a TraceError when the state forbids it (`shutdown`, `internal-error`). */
  cont(): void | Promise<void>;
  /** Shuts the machine down with cause `host-qmp-quit`. The monitor calls it after sending the reply. */
  quit(): void | Promise<void>;
  /** Subscribes to run-state transitions; returns the unsubscribe function. Listeners must not throw. */
  onStateChange(listener: (change: RunStateChange) => void): () => void;
  /** Present when the simple backend is attached; `trace-file` exists only then. */
  readonly traceFile?: TraceFileControl;
  /** A snapshot of every trace source, in registry order (`query-trace-sources`). */
  traceSources(): readonly TraceSourceStatus[];
  /**
   * A snapshot of every sink of the machine's tracer, in attach order (`query-trace-sinks`). A target without it
   * answers that command with an error rather than an empty list: no list is better than a wrong one.
   */
  traceSinks?(): readonly TraceSinkStatus[];
  /** Number of vCPUs (human-monitor-command's `cpu-index` is checked against it); 1 when absent. */
  readonly cpuCount?: number;
}

/** No losses: the starting value of a source's counters. */
export const NO_LOSSES: TraceSourceLosses = Object.freeze({ guestBuffer: 0, rejected: 0, sequenceGaps: 0, gapRecords: 0 });

/**
 * The status of every registry source before any guest has spoken: handshake `none`, no losses. A starting point
 * for targets that have no guest channels yet; must not be used to report a channel's real state.
 */
export function registrySources(registry: Registry): TraceSourceStatus[] {
  return registry.sources.map(silentSource);
}

/** The status of one source no channel reports on (yet): handshake `none`, no losses. */
export function silentSource(source: SourceInfo): TraceSourceStatus {
  return {
    name: source.name,
    kind: source.kind,
    firstId: source.base,
    count: source.events.length,
    handshake: 'none',
    hostHash: source.hash,
    losses: NO_LOSSES,
  };
}
