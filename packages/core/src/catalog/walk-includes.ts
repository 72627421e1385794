// Reads a root trace-events file and everything it includes, depth-first, into a host and guest event lists.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { SourceLocation } from '../errors.js';
import type { Diagnostic, EventDecl, IncludeDirective } from '../events/decl.js';
import { parseTraceEvents } from '../events/parse-trace-events.js';
import { quoteText } from '../events/quote-text.js';

/** A guest source as found by the walk, before ids and hashes. */
export interface GuestDraft {
  readonly name: string;
  readonly file: string;
  readonly includedAt: SourceLocation;
  /** Include lines leading to the `include … as` line, outermost first. */
  readonly chain: readonly SourceLocation[];
  readonly base: bigint | undefined;
  readonly events: EventDecl[];
}

/** Everything the walk found: host events, guests in include order, files read, diagnostics, event chains. */
export interface WalkResult {
  readonly hostEvents: EventDecl[];
  readonly guests: GuestDraft[];
  readonly files: string[];
  readonly diagnostics: Diagnostic[];
  /** Include chain of the file each event was declared in (absent for the root file). */
  readonly chainOf: Map<EventDecl, readonly SourceLocation[]>;
}

/** Inputs of one walk. */
export interface WalkOptions {
  readonly hostName: string;
  readonly readFile: (absPath: string) => string;
}

/**
 * Walks the include graph from the root. `rootText`, when given, is used instead of reading the root file.
 * Must not throw for faults in the catalog: every fault becomes a diagnostic with its include chain.
 */
export function walkIncludes(rootFile: string, rootText: string | undefined, options: WalkOptions): WalkResult {
  const result: WalkResult = { hostEvents: [], guests: [], files: [], diagnostics: [], chainOf: new Map() };
  const usedNames = new Map<string, SourceLocation | undefined>([[options.hostName, undefined]]);
  let text = rootText;
  if (text === undefined) {
    try {
      text = options.readFile(resolve(rootFile));
    } catch (err) {
      result.diagnostics.push({ severity: 'error', code: 'E_IO', message: `cannot read '${rootFile}': ${reason(err)}`, location: { file: rootFile } });
      return result;
    }
  }

  const walkFile = (file: string, fileText: string, chain: readonly SourceLocation[], stack: readonly string[], into: EventDecl[], guest: string | undefined): void => {
    result.files.push(file);
    const parsed = parseTraceEvents(fileText, file);
    for (const d of parsed.diagnostics) result.diagnostics.push(chain.length > 0 ? { ...d, includeChain: chain } : d);
    let next = 0;
    const takeIncludesUpTo = (count: number): void => {
      while (next < parsed.includes.length && parsed.includes[next]!.eventsBefore <= count) follow(parsed.includes[next++]!);
    };
    const fault = (inc: IncludeDirective, code: Diagnostic['code'], message: string): void => {
      result.diagnostics.push({ severity: 'error', code, message, location: inc.location, ...(chain.length > 0 ? { includeChain: chain } : {}) });
    };
    const follow = (inc: IncludeDirective): void => {
      const target = isAbsolute(inc.path) ? inc.path : join(dirname(file), inc.path);
      const abs = resolve(target);
      if (stack.includes(abs)) return fault(inc, 'E_INCLUDE', `include cycle: ${quoteText(target)} is already being read`);
      if (inc.sourceName !== undefined && guest !== undefined) {
        return fault(inc, 'E_INCLUDE', `nested guest sources are not supported: this file already belongs to guest '${guest}'`);
      }
      let nameClash: string | undefined;
      if (inc.sourceName !== undefined && usedNames.has(inc.sourceName)) {
        const first = usedNames.get(inc.sourceName);
        nameClash = first
          ? `source name '${inc.sourceName}' is already used at ${first.file}:${first.line}:${first.column}`
          : `source name '${inc.sourceName}' is the host's name`;
        fault(inc, 'E_DUPLICATE', nameClash);
      }
      let included: string;
      try {
        included = options.readFile(abs);
      } catch (err) {
        return fault(inc, 'E_INCLUDE', `cannot read included file ${quoteText(target)}: ${reason(err)}`);
      }
      const innerChain = [...chain, inc.location];
      const innerStack = [...stack, abs];
      if (inc.sourceName === undefined) return walkFile(target, included, innerChain, innerStack, into, guest);
      // A clashing guest is still read so its own faults show, but it never becomes a source.
      const events: EventDecl[] = [];
      if (nameClash === undefined) {
        usedNames.set(inc.sourceName, inc.location);
        result.guests.push({ name: inc.sourceName, file: target, includedAt: inc.location, chain, base: inc.base, events });
      }
      walkFile(target, included, innerChain, innerStack, events, inc.sourceName);
    };
    parsed.events.forEach((event, i) => {
      takeIncludesUpTo(i);
      into.push(event);
      if (chain.length > 0) result.chainOf.set(event, chain);
    });
    takeIncludesUpTo(parsed.events.length);
  };

  walkFile(rootFile, text, [], [resolve(rootFile)], result.hostEvents, undefined);
  return result;
}

function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}
