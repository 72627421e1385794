// What a channel needs to know of its guest source, flattened into typed arrays once so decoding allocates nothing.
import { TraceError, type Registry, type SourceInfo } from '@unitrace/core';
import { GUEST_RECORD_HEADER_BYTES, MAX_GUEST_EVENTS, MAX_HYPERCALL_ARGS } from '@unitrace/core/channel-abi';

/**
 * A guest source as the channel decodes it. For host-local event j (registry index `source.first + j`):
 * its arguments are `argKinds[argStart[j] .. argStart[j] + argCount[j])`, 1 for a string, 0 for an 8-byte word.
 */
export interface SourceLayout {
  readonly source: SourceInfo;
  /** Events of the source in the host catalog. */
  readonly count: number;
  readonly argStart: Uint32Array;
  readonly argCount: Uint8Array;
  readonly argKinds: Uint8Array;
  /** 1 when event j can travel through the hypercall port: no string argument and at most five words. */
  readonly wordsOnly: Uint8Array;
  /**
   * The one record length (header included) event j's records can have when it has no string argument: 24 + 8 per
   * argument; 0 when it has strings (their lengths vary), so the decoder checks such a payload argument by argument.
   */
  readonly fixedBytes: Uint32Array;
  /** The raw SHA-256 of the source's canonical form (CatalogSource.hash as bytes). */
  readonly hashBytes: Uint8Array;
}

/**
 * Looks up the guest source `name` in the registry and flattens it. Throws TraceError('E_USAGE') for a name that is
 * not a guest source, or one with more events than a handshake can declare: both are machine configuration errors.
 */
export function buildSourceLayout(registry: Registry, name: string): SourceLayout {
  const source = registry.source(name);
  if (source === undefined || source.kind !== 'guest') {
    const guests = registry.sources.filter((s) => s.kind === 'guest').map((s) => s.name);
    throw new TraceError('E_USAGE', `no guest source '${name}' in the machine's catalog (guests: ${guests.join(', ') || 'none'})`);
  }
  const count = source.events.length;
  if (count > MAX_GUEST_EVENTS) {
    throw new TraceError('E_USAGE', `guest source '${name}' has ${count} events; a channel carries at most ${MAX_GUEST_EVENTS}`);
  }
  const argStart = new Uint32Array(count);
  const argCount = new Uint8Array(count);
  const wordsOnly = new Uint8Array(count);
  const fixedBytes = new Uint32Array(count);
  const kinds: number[] = [];
  source.events.forEach((ev, j) => {
    argStart[j] = kinds.length;
    argCount[j] = ev.args.length;
    let strings = 0;
    for (const a of ev.args) {
      const s = a.type.kind === 'string' ? 1 : 0;
      strings += s;
      kinds.push(s);
    }
    wordsOnly[j] = strings === 0 && ev.args.length <= MAX_HYPERCALL_ARGS ? 1 : 0;
    fixedBytes[j] = strings === 0 ? GUEST_RECORD_HEADER_BYTES + 8 * ev.args.length : 0;
  });
  const argKinds = Uint8Array.from(kinds);
  return { source, count, argStart, argCount, argKinds, wordsOnly, fixedBytes, hashBytes: hexBytes(source.hash) };
}

/** 64 hex digits as 32 bytes (zeros for anything else, which then never matches a guest's hash). */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(32);
  if (!/^[0-9a-f]{64}$/i.test(hex)) return out;
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** 32 bytes as lower-case hex. */
export function bytesHex(bytes: Uint8Array, start = 0, length = 32): string {
  let s = '';
  for (let i = 0; i < length; i++) s += bytes[start + i].toString(16).padStart(2, '0');
  return s;
}
