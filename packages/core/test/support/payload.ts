// Test helper: encodes argument values as QEMU's simple backend stores them (by hand, with BigInt, not by core).
import type { ArgType } from '../../src/events/decl.js';

/** A raw argument as the C caller passes it: an integer (bigint), string bytes, or null (NULL pointer or string). */
export type RawValue = bigint | Uint8Array | null;

/** The u64 QEMU stores for a non-string argument: `(uint64_t)(T)value` (bool: 0/1; signed types sign-extended). */
export function storedWord(type: ArgType, raw: bigint | null): bigint {
  const v = raw ?? 0n;
  if (type.kind !== 'int') return BigInt.asUintN(64, v);
  if (type.isBool) return BigInt.asUintN(64, v) === 0n ? 0n : 1n;
  const converted = type.signed ? BigInt.asIntN(type.bits, v) : BigInt.asUintN(type.bits, v);
  return BigInt.asUintN(64, converted);
}

/** The payload bytes of one record: 8 little-endian bytes per non-string, u32 length + bytes per string (NULL: 0). */
export function encodePayload(types: readonly ArgType[], values: readonly RawValue[]): Uint8Array {
  const parts: number[] = [];
  types.forEach((t, i) => {
    const v = values[i];
    if (t.kind === 'string') {
      const s = v instanceof Uint8Array ? v : new Uint8Array(0);
      const n = s.length;
      parts.push(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...s);
    } else {
      let w = storedWord(t, v instanceof Uint8Array ? 0n : v);
      for (let k = 0; k < 8; k++) {
        parts.push(Number(w & 0xffn));
        w >>= 8n;
      }
    }
  });
  return Uint8Array.from(parts);
}
