// What generated code tells the SDK about its guest source: name, catalog hash, events and their argument shapes.

/**
 * A guest source as `unitrace gen --target firmware-ts` embeds it. Plain data; the SDK never computes a hash at run
 * time (the host compares the one generated here with its own catalog's).
 */
export interface GuestSource {
  /** The source name: the `as NAME` of the host catalog's include line (fw_cfg items are `opt/unitrace/NAME/…`). */
  readonly name: string;
  /** Lower-case hex SHA-256 of the source's canonical form (core's `catalogHash(events, 'guest')`). */
  readonly hash: string;
  /** Number of events: local ids are 0 .. eventCount - 1. */
  readonly eventCount: number;
  /** `name(type, type)` or `name(void)` per event, types normalised; sent to the host so it can map by name. */
  readonly signatures?: readonly string[];
  /** Per event, one letter per argument: `w` for an 8-byte word, `s` for a string (u32 length + bytes). */
  readonly argKinds: readonly string[];
}

/** 64 hex digits as 32 bytes. Throws a RangeError for anything else (a firmware build error). */
export function hashBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new RangeError(`a catalog hash is 64 hex digits, not '${hex}'`);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The names item text: every signature followed by a NUL, in local id order (ASCII). */
export function namesText(source: GuestSource): Uint8Array {
  const sigs = source.signatures ?? [];
  const text = sigs.map((s) => `${s}\0`).join('');
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f);
}
