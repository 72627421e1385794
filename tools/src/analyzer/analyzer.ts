// The analyzer API, after simpletrace.py's Analyzer2: subclass, name methods after events, call `process` or `run`.
import type { EventDecl, RawArg } from '@unitrace/core';

/** An argument value as handlers get it: by its C type (see `typedValue` in core), strings as UTF-8 text. */
export type AnalyzerValue = number | bigint | boolean | string;

/** Arguments of one record by their declared names. */
export type AnalyzerArgs = Readonly<Record<string, AnalyzerValue>>;

/** What a handler gets besides the arguments (simpletrace's keyword arguments). */
export interface AnalyzerEventInfo {
  /** The declaration; for dropped records simpletrace's pseudo event `Dropped_Event(uint64_t num_events_dropped)`. */
  readonly event: EventDecl;
  /**
   * The event's NAME, not its number: simpletrace.py passes `event_id="fw_cfg_select"` (and `"dropped"` for dropped
   * records), and this keeps that quirk so ported analyzers behave the same. The number is `id`.
   */
  readonly eventId: string;
  /** The wire id as the file stores it (0xFFFFFFFFFFFFFFFE for dropped records). */
  readonly id: bigint;
  readonly timestampNs: bigint;
  readonly pid: number;
  /** The arguments exactly as stored, in declaration order: raw u64 words and string bytes. */
  readonly raw: readonly RawArg[];
}

/** A per-event handler: a method of an Analyzer subclass named after the event. */
export type AnalyzerHandler = (args: AnalyzerArgs, info: AnalyzerEventInfo) => void;

/**
 * Base class of trace analyzers. For each record, `process` calls the method named after the event
 * (`this[event.name]`, e.g. `fw_cfg_select(args, info)`), or `Dropped_Event` for dropped records, or `catchall`
 * when there is no such method. `begin()` runs before the first record; `end()` runs after the last one, only when
 * the whole file was read without error. Events named like a member of this class or of Object (`begin`, `end`,
 * `catchall`, `constructor`, `toString`, …) always go to `catchall`. Handlers are synchronous; they must not keep
 * `info.raw` buffers beyond the call if they mutate them.
 */
export class Analyzer {
  /** Called once before the first record. May be async. */
  begin(): void | Promise<void> {}

  /** Called once after the last record, only when processing succeeded. May be async. */
  end(): void | Promise<void> {}

  /** Called for records of events that have no handler of their own. */
  catchall(_args: AnalyzerArgs, _info: AnalyzerEventInfo): void {}
}

const RESERVED = new Set<string>(['begin', 'end', 'catchall', ...Object.getOwnPropertyNames(Object.prototype)]);

/** The handler `analyzer` has for events named `name`, bound to it; its `catchall` when it has none. */
export function handlerFor(analyzer: Analyzer, name: string): AnalyzerHandler {
  if (!RESERVED.has(name)) {
    const candidate = (analyzer as unknown as Record<string, unknown>)[name];
    if (typeof candidate === 'function') return (candidate as AnalyzerHandler).bind(analyzer);
  }
  return analyzer.catchall.bind(analyzer);
}
