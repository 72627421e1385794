// Mapping a guest's events to the host's by name, from the signatures the guest sent (`name(type, type)` entries).
import { resolveArgType, type ArgType } from '@unitrace/core';
import { REASON_ARG_TYPES, REASON_BAD_NAMES } from '@unitrace/core/channel-abi';
import type { SourceLayout } from './source-layout.js';

/** A guest event the host does not know: its guest-local id and its name as sent. */
export interface UnknownEvent {
  readonly local: number;
  readonly name: string;
}

/** The outcome of mapping by name: the registry index per guest-local id (-1: unknown), or why it is refused. */
export type NameMapping =
  | { readonly ok: true; readonly known: number; readonly unknown: readonly UnknownEvent[] }
  | { readonly ok: false; readonly reason: number; readonly detail: string };

const ENTRY = /^([A-Za-z0-9_]+)\(([A-Za-z0-9_ *,]*)\)$/;

/**
 * Reads `length` bytes of names (`name(type, type)` or `name(void)` entries, each ended by NUL, entry i being guest
 * local id i) and fills `map[i]` with the registry index of the same-named event of this source, or -1 when the
 * host source has no such event. Refuses malformed text, a count other than `guestCount`, duplicate names, and any
 * known event whose argument types differ (kind, width, signedness): such records would be misdecoded.
 * Runs once per handshake; the input is untrusted and bounded by the names item.
 */
export function mapByName(layout: SourceLayout, bytes: Uint8Array, length: number, guestCount: number, map: Int32Array): NameMapping {
  const refuse = (reason: number, detail: string): NameMapping => ({ ok: false, reason, detail });
  if (length === 0 || bytes[length - 1] !== 0) return refuse(REASON_BAD_NAMES, 'names must end with a NUL');
  const entries = latin1(bytes, length - 1).split('\0');
  if (entries.length !== guestCount) return refuse(REASON_BAD_NAMES, `${entries.length} names sent for ${guestCount} events`);
  const hostIndex = new Map<string, number>();
  layout.source.events.forEach((ev, j) => hostIndex.set(ev.name, j));
  const seen = new Set<string>();
  const unknown: UnknownEvent[] = [];
  let known = 0;
  for (let i = 0; i < entries.length; i++) {
    const m = ENTRY.exec(entries[i]);
    if (!m) return refuse(REASON_BAD_NAMES, `name ${i} is malformed`);
    const [, name, argText] = m;
    if (seen.has(name)) return refuse(REASON_BAD_NAMES, `event ${name} is named twice`);
    seen.add(name);
    const j = hostIndex.get(name);
    if (j === undefined) {
      map[i] = -1;
      unknown.push({ local: i, name });
      continue;
    }
    const types = parseTypes(argText);
    const hostArgs = layout.source.events[j].args;
    if (types === undefined) return refuse(REASON_BAD_NAMES, `event ${name} has a malformed argument type`);
    if (types.length !== hostArgs.length || types.some((t, k) => !sameEncoding(t, hostArgs[k].type))) {
      return refuse(REASON_ARG_TYPES, `event ${name} has other argument types than the host's`);
    }
    map[i] = layout.source.first + j;
    known++;
  }
  return { ok: true, known, unknown };
}

function parseTypes(text: string): ArgType[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'void') return [];
  const out: ArgType[] = [];
  for (const piece of trimmed.split(',')) {
    const r = resolveArgType(piece.trim());
    if (!r.ok) return undefined;
    out.push(r.type);
  }
  return out;
}

// Same bytes on the wire and the same meaning when printed: kind, width, signedness and bool-ness.
function sameEncoding(a: ArgType, b: ArgType): boolean {
  return a.kind === b.kind && a.bits === b.bits && a.signed === b.signed && a.isBool === b.isBool;
}

function latin1(bytes: Uint8Array, length: number): string {
  let s = '';
  for (let i = 0; i < length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, Math.min(length, i + 4096)));
  return s;
}
