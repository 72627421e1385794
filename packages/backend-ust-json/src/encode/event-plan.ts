// What an encoder needs to know about one event, worked out once on describe(): names, id and one op per argument.
import type { ArgType, SourceInfo } from '@unitrace/core';

/** Argument ops: how the payload word or string of one argument turns into a value. */
export const OP_BOOL = 0;
export const OP_SIGNED = 1; // signed integer of at most 32 bits
export const OP_UNSIGNED = 2; // unsigned integer of at most 32 bits
export const OP_I64 = 3;
export const OP_U64 = 4;
export const OP_POINTER = 5;
export const OP_STRING = 6;

/** The name every dropped record carries (it has no `id`, which tells it apart from a catalog event of that name). */
export const DROPPED_RECORD_NAME = 'unitrace:dropped';

/** One event, ready for an encoder. Plain data; never refers back to the SourceInfo it came from. */
export interface EventPlan {
  /** `provider:event`, the provider being the source's name. */
  readonly fullName: string;
  readonly origin: 'host' | 'guest';
  /** Wire id as two unsigned 32-bit words. */
  readonly idHi: number;
  readonly idLo: number;
  readonly argNames: readonly string[];
  /** One OP_* per argument. */
  readonly ops: Uint8Array;
  /** For OP_SIGNED and OP_UNSIGNED: 32 minus the width, the shift that narrows the low word to the C type. */
  readonly shifts: Uint8Array;
}

/** The op for an argument of type `type`. */
export function opOf(type: ArgType): number {
  if (type.kind === 'string') return OP_STRING;
  if (type.kind === 'pointer') return OP_POINTER;
  if (type.isBool) return OP_BOOL;
  if (type.bits === 64) return type.signed ? OP_I64 : OP_U64;
  return type.signed ? OP_SIGNED : OP_UNSIGNED;
}

/** Plans every event of `source`: the result's element i is local event i. */
export function planSource(source: SourceInfo): EventPlan[] {
  return source.events.map((decl, local) => {
    const id = BigInt.asUintN(64, source.base + BigInt(local));
    return {
      fullName: `${source.name}:${decl.name}`,
      origin: source.kind === 'guest' ? 'guest' : 'host',
      idHi: Number(id >> 32n),
      idLo: Number(id & 0xffff_ffffn),
      argNames: decl.args.map((a) => a.name),
      ops: Uint8Array.from(decl.args, (a) => opOf(a.type)),
      shifts: Uint8Array.from(decl.args, (a) => (a.type.kind === 'int' && a.type.bits < 64 ? 32 - a.type.bits : 0)),
    };
  });
}

const TWO_32 = 4294967296;

/** Scratch result of `splitNumber` (a shared object, so the rare paths that need it allocate nothing). */
export const split: { hi: number; lo: number } = { hi: 0, lo: 0 };

/**
 * Splits a non-negative integer-valued number into u64 words in `split` (fractions dropped, values at or above
 * 2^64 clamped to 2^64 − 1). For timestamps and guest clocks beyond 2^53, which only arrive as doubles.
 */
export function splitNumber(v: number): void {
  if (!(v > 0)) {
    split.hi = 0;
    split.lo = 0;
    return;
  }
  const hi = Math.floor(v / TWO_32);
  if (hi >= TWO_32) {
    split.hi = 0xffff_ffff;
    split.lo = 0xffff_ffff;
    return;
  }
  split.hi = hi;
  split.lo = Math.floor(v - hi * TWO_32);
}
