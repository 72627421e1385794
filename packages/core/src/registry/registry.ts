// The event registry: dense indices, the enabled bits the tracer reads, and QEMU's trace-control semantics.
import type { Catalog } from '../catalog/catalog.js';
import { TraceError } from '../errors.js';
import type { Diagnostic } from '../events/decl.js';
import { ChangeNotifier, type ListenerErrorHandler } from './change-notifier.js';
import { applyEventsFileLines } from './events-file.js';
import { buildLayout, type Layout } from './layout.js';
import { doesNotExist, eventDisabled, notTraceable, unknownEvent } from './messages.js';
import { compilePattern, isPattern } from './pattern.js';
import type { EnableResult, EventRef, EventState, Registry, SourceInfo, StateChange } from './types.js';

/** Options of `createRegistry`. */
export interface RegistryOptions {
  /**
   * Receives an error thrown by an `onChange` listener, with the change it was given. The default rethrows it on
   * a microtask (an uncaught exception) after every listener ran. Must not throw.
   */
  readonly onListenerError?: ListenerErrorHandler;
}

const HELP: EnableResult = Object.freeze({ changed: 0, matched: 0, warnings: Object.freeze([]), help: true });

/**
 * Builds the registry of a loaded catalog with every event disabled. Throws TraceError (E_DUPLICATE, E_ID_RANGE)
 * for a catalog that breaks the loader's invariants. Must not be given a catalog with errors.
 *
 * `enable` reports `matched` as the events its text selected: every match of a pattern (unavailable ones too),
 * at most one for a plain name. Warnings and errors quote the name without its leading `-`, as QEMU does, with
 * control characters escaped so they stay one line. A listener sees one change per operation (an events file is
 * one operation), with the indices whose bit differs from before it, ascending; a listener's own state changes are
 * delivered after the current change has reached every listener.
 */
export function createRegistry(catalog: Catalog, options: RegistryOptions = {}): Registry {
  return new EventRegistry(buildLayout(catalog), new ChangeNotifier(options.onListenerError));
}

class EventRegistry implements Registry {
  readonly state: Uint8Array;
  readonly sources: readonly SourceInfo[];
  readonly size: number;
  readonly #layout: Layout;
  readonly #events: readonly EventRef[];
  readonly #unavailable: Uint8Array;
  readonly #notifier: ChangeNotifier;
  #enabledCount = 0;
  /** Nesting depth of operations; listeners hear of changes when the outermost one ends. */
  #depth = 0;
  /** Indices written during the current operation, and per index 0 (untouched) or 1 + its bit before it. */
  #touched: number[] = [];
  readonly #before: Uint8Array;

  constructor(layout: Layout, notifier: ChangeNotifier) {
    this.#layout = layout;
    this.#events = layout.events;
    this.#notifier = notifier;
    this.sources = layout.sources;
    this.size = layout.events.length;
    this.state = new Uint8Array(this.size);
    this.#before = new Uint8Array(this.size);
    this.#unavailable = Uint8Array.from(layout.events, (ref) => (ref.decl.disabled ? 1 : 0));
  }

  get enabledCount(): number {
    return this.#enabledCount;
  }

  event(index: number): EventRef {
    const ref = this.#events[index];
    if (ref === undefined) throw new RangeError(`no event at registry index ${index} (size ${this.size})`);
    return ref;
  }

  lookup(name: string): EventRef | undefined {
    return this.#layout.eventByName.get(name);
  }

  byId(id: bigint): EventRef | undefined {
    const source = this.#layout.sourceOfId(id);
    return source === undefined ? undefined : this.#events[source.first + Number(id - source.base)];
  }

  sourceOfId(id: bigint): SourceInfo | undefined {
    return this.#layout.sourceOfId(id);
  }

  source(name: string): SourceInfo | undefined {
    return this.#layout.sourceByName.get(name);
  }

  match(pattern: string): EventRef[] {
    const test = compilePattern(pattern);
    return this.#events.filter((ref) => test(ref.decl.name));
  }

  getState(index: number): EventState {
    const ref = this.event(index);
    if (this.#unavailable[ref.index]) return 'unavailable';
    return this.state[ref.index] ? 'enabled' : 'disabled';
  }

  setState(index: number, enabled: boolean): boolean {
    const ref = this.event(index);
    if (this.#unavailable[ref.index]) return false;
    this.#operation(() => this.#write(ref.index, enabled));
    return true;
  }

  enable(text: string): EnableResult {
    if (text === 'help' || text === '?') return HELP;
    const on = !text.startsWith('-');
    const name = on ? text : text.slice(1);
    return this.#operation(() => (isPattern(name) ? this.#enablePattern(name, on) : this.#enableFirst(name, on)));
  }

  applyEventsFile(text: string, file: string): Diagnostic[] {
    return this.#operation(() => applyEventsFileLines(text, file, (pattern) => this.enable(pattern)));
  }

  queryState(name: string): Array<{ name: string; state: EventState }> {
    this.#checkExists(name);
    return this.match(name)
      .reverse()
      .map((ref) => ({ name: ref.decl.name, state: this.getState(ref.index) }));
  }

  applyState(name: string, enable: boolean, ignoreUnavailable = false): void {
    this.#checkExists(name);
    const hits = this.match(name);
    if (!ignoreUnavailable) {
      const blocked = hits.find((ref) => this.#unavailable[ref.index]);
      if (blocked) throw new TraceError('E_EVENT_UNAVAILABLE', eventDisabled(blocked.decl.name));
    }
    this.#operation(() => {
      for (const ref of hits) if (!this.#unavailable[ref.index]) this.#write(ref.index, enable);
    });
  }

  onChange(listener: (change: StateChange) => void): () => void {
    return this.#notifier.add(listener);
  }

  /** QMP's name check: a non-pattern must name an event exactly (strcmp), even though matching then globs. */
  #checkExists(name: string): void {
    if (!isPattern(name) && !this.#layout.eventByName.has(name)) {
      throw new TraceError('E_UNKNOWN_EVENT', unknownEvent(name));
    }
  }

  #enablePattern(pattern: string, on: boolean): EnableResult {
    const test = compilePattern(pattern);
    let matched = 0;
    let changed = 0;
    for (const ref of this.#events) {
      if (!test(ref.decl.name)) continue;
      matched++;
      if (!this.#unavailable[ref.index] && this.#write(ref.index, on)) changed++;
    }
    return { changed, matched, warnings: [], help: false };
  }

  /** A non-pattern still globs (`?` is a wildcard), but only its first match counts, whatever that match is. */
  #enableFirst(name: string, on: boolean): EnableResult {
    // Without `?` the glob is plain equality, and names are unique: the map finds the same first match.
    const ref = name.includes('?') ? this.#events.find(matcherOf(name)) : this.#layout.eventByName.get(name);
    if (ref === undefined) return { changed: 0, matched: 0, warnings: [doesNotExist(name)], help: false };
    if (this.#unavailable[ref.index]) return { changed: 0, matched: 1, warnings: [notTraceable(name)], help: false };
    return { changed: this.#write(ref.index, on) ? 1 : 0, matched: 1, warnings: [], help: false };
  }

  /** Sets one available event's bit; true when it flipped. Only inside `#operation`. */
  #write(index: number, on: boolean): boolean {
    const bit = on ? 1 : 0;
    const old = this.state[index];
    if (old === bit) return false;
    if (this.#before[index] === 0) {
      this.#before[index] = old + 1;
      this.#touched.push(index);
    }
    this.state[index] = bit;
    this.#enabledCount += on ? 1 : -1;
    return true;
  }

  /** Runs `body` as one operation: nested operations join it, and listeners hear once, when the outermost ends. */
  #operation<T>(body: () => T): T {
    this.#depth++;
    try {
      return body();
    } finally {
      if (--this.#depth === 0) this.#commit();
    }
  }

  #commit(): void {
    if (this.#touched.length === 0) return;
    const touched = this.#touched;
    this.#touched = [];
    const flipped: number[] = [];
    for (const index of touched) {
      if (this.state[index] !== this.#before[index] - 1) flipped.push(index);
      this.#before[index] = 0;
    }
    if (flipped.length === 0) return;
    flipped.sort((a, b) => a - b);
    this.#notifier.emit(flipped);
  }
}

function matcherOf(pattern: string): (ref: EventRef) => boolean {
  const test = compilePattern(pattern);
  return (ref) => test(ref.decl.name);
}
