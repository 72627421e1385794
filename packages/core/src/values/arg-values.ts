// Converting argument values between JS and the simpletrace payload, by declared C type (not for hot paths).
import type { ArgDecl, ArgType } from '../events/decl.js';
import type { BatchWriter } from '../record-writer.js';
import { stringBytes } from '../record-writer.js';
import { MAX_TRACE_STRLEN } from '../record.js';

/** A JS value for one argument: integers as number or bigint, bool as boolean, strings as text or bytes, null. */
export type ArgValue = number | bigint | boolean | string | Uint8Array | null | undefined;

/** A decoded argument as stored: a non-string argument's raw u64 word, or a string argument's bytes. */
export type RawArg = bigint | Uint8Array;

/**
 * Converts a value to the u64 word QEMU's simple backend stores for an argument of `type`: the value converted
 * to the C type (truncated, sign- or zero-extended, bool to 0/1) and then to uint64_t. Must not be used for strings.
 */
export function toStoredWord(type: ArgType, value: ArgValue): bigint {
  let v: bigint;
  if (value == null || value === false) v = 0n;
  else if (value === true) v = 1n;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) v = 0n;
    else v = BigInt(Math.trunc(value));
  } else if (typeof value === 'bigint') v = value;
  else throw new TypeError(`a ${type.text} argument cannot take a ${value instanceof Uint8Array ? 'byte array' : 'string'}`);
  if (type.kind === 'pointer') return BigInt.asUintN(64, v);
  if (type.isBool) return v === 0n ? 0n : 1n;
  const narrowed = type.signed ? BigInt.asIntN(type.bits, v) : BigInt.asUintN(type.bits, v);
  return BigInt.asUintN(64, narrowed);
}

const utf8 = new TextEncoder();

/** The bytes a string argument stores: UTF-8 text or the given bytes, cut at MAX_TRACE_STRLEN; null gives none. */
export function toStoredString(value: ArgValue): Uint8Array {
  if (value == null) return new Uint8Array(0);
  const bytes = value instanceof Uint8Array ? value : utf8.encode(String(value));
  return bytes.length > MAX_TRACE_STRLEN ? bytes.subarray(0, MAX_TRACE_STRLEN) : bytes;
}

/** Payload bytes the arguments take: 8 per non-string, 4 + length per string (capped at 512). */
export function payloadBytes(args: readonly ArgDecl[], values: readonly ArgValue[]): number {
  let n = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i].type.kind !== 'string') n += 8;
    else {
      const v = values[i];
      n += 4 + (v instanceof Uint8Array ? Math.min(v.length, MAX_TRACE_STRLEN) : stringBytes(v == null ? null : String(v)));
    }
  }
  return n;
}

/** Writes the arguments at `o` of a BatchWriter record begun with `payloadBytes(args, values)`; returns the end offset. */
export function writeArgs(writer: BatchWriter, o: number, args: readonly ArgDecl[], values: readonly ArgValue[]): number {
  for (let i = 0; i < args.length; i++) {
    const type = args[i].type;
    const v = values[i];
    if (type.kind !== 'string') o = writer.putBigInt(o, toStoredWord(type, v));
    else if (v instanceof Uint8Array) {
      const b = v.length > MAX_TRACE_STRLEN ? v.subarray(0, MAX_TRACE_STRLEN) : v;
      writer.view.setUint32(o, b.length, true);
      writer.bytes.set(b, o + 4);
      o += 4 + b.length;
    } else {
      const s = v == null ? null : String(v);
      o = writer.putString(o, s, stringBytes(s));
    }
  }
  return o;
}

/**
 * Decodes a payload into raw arguments by declared type. Returns undefined when the payload is shorter than the
 * arguments need or a string length runs past `end` (never reads outside [start, end)). Extra bytes are ignored,
 * as simpletrace.py ignores them.
 */
export function decodeArgs(args: readonly ArgDecl[], bytes: Uint8Array, view: DataView, start: number, end: number): RawArg[] | undefined {
  const out: RawArg[] = [];
  let o = start;
  for (const arg of args) {
    if (arg.type.kind === 'string') {
      if (o + 4 > end) return undefined;
      const n = view.getUint32(o, true);
      if (n > end - o - 4) return undefined;
      out.push(bytes.slice(o + 4, o + 4 + n));
      o += 4 + n;
    } else {
      if (o + 8 > end) return undefined;
      out.push(view.getBigUint64(o, true));
      o += 8;
    }
  }
  return out;
}

/**
 * Interprets a raw stored word by its declared type: integers of at most 32 bits become numbers (signed ones
 * negative where the C value was), bool becomes boolean, 64-bit integers and pointers stay bigint (signed types
 * as signed). Strings pass through as bytes.
 */
export function typedValue(type: ArgType, raw: RawArg): number | bigint | boolean | Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (type.kind === 'pointer') return raw;
  if (type.isBool) return (raw & 0xffn) !== 0n;
  if (type.bits === 64) return type.signed ? BigInt.asIntN(64, raw) : raw;
  return Number(type.signed ? BigInt.asIntN(type.bits, raw) : BigInt.asUintN(type.bits, raw));
}
