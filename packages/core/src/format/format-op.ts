// The compiled form of one template piece: a flat, monomorphic object the renderer walks without branching on types.

/** Op kinds. Numbers, not strings, so the render loop switches on a small integer. */
export const OP_LITERAL = 0;
export const OP_INT = 1;
export const OP_CHAR = 2;
export const OP_STRING = 3;
export const OP_POINTER = 4;

/**
 * Texts printed where C's output cannot be reproduced. They are part of the output contract (tools and golden files
 * rely on them) and never appear for a correctly declared event with a well-formed payload.
 */
export const FORMAT_MARKERS: {
  /** A conversion whose argument (or `*` argument) the event does not declare, or that `renderValues` was not given. */
  readonly missing: string;
  /** A payload that ends before this argument, or whose string length runs past its end. */
  readonly truncated: string;
  /** `%s` of an argument that is not a string: C would dereference it; we never do. */
  readonly nonString: string;
  /** A string argument under a numeric, `%c` or `%p` conversion (or a `*`): its address is not recorded. */
  readonly string: string;
  /** A JS value of the wrong kind given to `renderValues` (text for an integer, a number for a string). */
  readonly badValue: string;
} = {
  missing: '<missing>',
  truncated: '<truncated>',
  nonString: '<non-string>',
  string: '<string>',
  badValue: '<bad value>',
};

/** One step of a compiled format. Every op has every field so V8 sees one shape. Internal to the format module. */
export class FormatOp {
  kind: number = OP_LITERAL;
  /** Literal or marker bytes. */
  bytes: Uint8Array = EMPTY;
  /** Index of the value argument, or -1. */
  arg = -1;
  /** Index of the `*` width argument, or -1. */
  widthArg = -1;
  /** Index of the `*` precision argument, or -1. */
  precArg = -1;
  /** Literal width (0: none). */
  width = 0;
  /** Literal precision (-1: none). */
  precision = -1;
  minus = false;
  zero = false;
  plus = false;
  space = false;
  hash = false;
  /** 8, 10 or 16. */
  base = 10;
  /** `%X`: upper-case digits and `0X`. */
  upper = false;
  /** Bits the conversion reads: 8 (hh), 16 (h), 32 (none), 64 (l ll z t j L q). */
  readBits = 32;
  /** `%d`/`%i`: the read bits are two's complement. */
  signedRead = false;
}

const EMPTY = new Uint8Array(0);

/**
 * Encodes template text as bytes: each char up to 0xff is one byte (the template contract: C escapes such as `\xff`
 * arrive as one char), and a char above 0xff, which the contract does not produce, as its UTF-8 bytes.
 */
export function templateBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c <= 0xff) out.push(c);
    else for (const b of new TextEncoder().encode(ch)) out.push(b);
  }
  return Uint8Array.from(out);
}
