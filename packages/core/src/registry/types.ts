// The shape of the event registry: dense indices, wire ids, dynamic state and change notification.
import type { CatalogSource } from '../catalog/catalog.js';
import type { Diagnostic, EventDecl } from '../events/decl.js';

/** QMP's TraceEventState: `unavailable` for events with the `disable` property. */
export type EventState = 'unavailable' | 'disabled' | 'enabled';

/**
 * A registered source: a catalog source plus where its events sit in the registry's dense index space.
 * Registry index of local event i is `first + i`; its wire id is `base + i`.
 */
export interface SourceInfo extends CatalogSource {
  /** Registry (dense) index of local event 0. */
  readonly first: number;
  /** Position in `Registry.sources` (0 is the host). */
  readonly index: number;
}

/** One event as the registry knows it. */
export interface EventRef {
  /** Dense registry index: the index into `Registry.state`. Host events: index === wire id. */
  readonly index: number;
  /** Wire id (u64) as written in records: host 0..N-1, guest base + local. */
  readonly id: bigint;
  /** Low and high 32-bit halves of `id`, for writing records without BigInt. */
  readonly idLo: number;
  readonly idHi: number;
  /** Local id within its source. */
  readonly local: number;
  readonly source: SourceInfo;
  readonly decl: EventDecl;
}

/** A change of dynamic state: the registry indices whose enabled bit flipped. */
export interface StateChange {
  readonly indices: readonly number[];
}

/** The outcome of QEMU's `trace_enable_events` for one pattern: what changed and the warnings QEMU would print. */
export interface EnableResult {
  readonly changed: number;
  readonly matched: number;
  /** Warnings in QEMU's words (`trace event 'x' does not exist`, `trace event 'x' is not traceable`). */
  readonly warnings: readonly string[];
  /** True when the pattern was `help` or `?`: the caller lists the events (and QEMU would exit). */
  readonly help: boolean;
}

/**
 * The event registry: every event of a catalog in one dense index space, with a Uint8Array of enabled bits.
 * The tracer's fast path reads `state[index]` and nothing else; never replace `state`, only write into it
 * through the registry so listeners and `enabledCount` stay right.
 */
export interface Registry {
  /** Enabled bit per registry index (0 or 1). Read-only for everyone but the registry. */
  readonly state: Uint8Array;
  /** Number of events currently enabled (QEMU's trace_events_enabled_count). */
  readonly enabledCount: number;
  /** Sources in registry order: the host first, then guests in include order. */
  readonly sources: readonly SourceInfo[];
  /** Total number of events. */
  readonly size: number;
  /** The event at a registry index. Throws a RangeError for an index out of range. */
  event(index: number): EventRef;
  /** The event with this exact name, or undefined. Names are unique across the catalog. */
  lookup(name: string): EventRef | undefined;
  /** The event with this wire id, or undefined (reserved ids and ids outside every range give undefined). */
  byId(id: bigint): EventRef | undefined;
  /** The source whose range holds this wire id, or undefined. */
  sourceOfId(id: bigint): SourceInfo | undefined;
  /** The source with this name, or undefined. */
  source(name: string): SourceInfo | undefined;
  /** Events in QEMU iteration order that match a glob (`*`, `?`), case-sensitive, whole name. */
  match(pattern: string): EventRef[];
  /** Current state of one event. */
  getState(index: number): EventState;
  /**
   * Sets one event's dynamic state. Returns false (and changes nothing) for an unavailable event.
   * Notifies listeners when the bit flips.
   */
  setState(index: number, enabled: boolean): boolean;
  /** QEMU's `trace_enable_events(PATTERN)`: `-` negation, glob vs first-match rule, warnings not errors. */
  enable(pattern: string): EnableResult;
  /** QEMU's `-trace events=FILE` on the file's text; returns the warnings with FILE:LINE locations. */
  applyEventsFile(text: string, file: string): Diagnostic[];
  /** QMP trace-event-get-state: matching events in reverse iteration order; throws TraceError for an unknown exact name. */
  queryState(name: string): Array<{ name: string; state: EventState }>;
  /** QMP trace-event-set-state: validates first, then changes; throws TraceError with QEMU's message. */
  applyState(name: string, enable: boolean, ignoreUnavailable?: boolean): void;
  /** Registers a listener called after every batch of state changes. Returns a function that removes it. */
  onChange(listener: (change: StateChange) => void): () => void;
}
