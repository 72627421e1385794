// Operand values: range checks against a field width, and where an expression starts (for messages).
import type { Expr } from './expr.js';
import { type LinePlace, asmError } from './lexer.js';

/** Checks that `v` fits `width` bytes as a signed or unsigned number; throws asmError at `col` otherwise. */
export function fit(v: bigint, width: number, place: LinePlace, col: number): bigint {
  const bits = BigInt(width * 8);
  if (v < -(1n << (bits - 1n)) || v >= 1n << bits) {
    throw asmError(place, col, `value ${v < 0n ? '-' : ''}${hex(v < 0n ? -v : v)} does not fit in ${width * 8} bits`);
  }
  return v;
}

/** The column an expression starts at (for messages). */
export function colOf(expr: Expr): number {
  return expr.kind === 'binary' ? colOf(expr.left) : expr.col;
}

/** `0x` and lower-case hex digits of a non-negative value. */
export function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}
