// The UT32 assembler: source text to a flat image. Pass 1 reads every line and places labels (every instruction is
// 8 bytes, so sizes never depend on values); pass 2 evaluates operands and writes bytes.
import { TraceError } from '@unitrace/core';
import { type EvalEnv, type Expr, evalExpr } from './expr.js';
import { type LinePlace, asmError } from './lexer.js';
import { UT32_INSTRUCTION_BYTES } from './opcodes.js';
import { registerNumber } from './operands.js';
import { encodeInstruction } from './encode.js';
import { colOf, fit, hex } from './values.js';
import { type ParsedLine, parseLine } from './statements.js';

/** Options of `assemble`. */
export interface AssembleOptions {
  /** Guest-physical address of the image's first byte: labels and `.` count from here (default 0). */
  readonly origin?: number;
  /** File name shown in error messages (default `<asm>`). */
  readonly file?: string;
  /**
   * Symbols defined before the first line, like a C compiler's `-D` (event ids and a catalog hash from the build).
   * Integers that fit 32 bits, signed or unsigned; the source may not define them again.
   */
  readonly defines?: Readonly<Record<string, number | bigint>>;
}

/** An assembled image: bytes to load at `origin`, where to jump, and every symbol's value. */
export interface AssembledImage {
  readonly bytes: Uint8Array;
  readonly origin: number;
  /** `.entry`'s value, or `origin` without one. */
  readonly entry: number;
  /** Labels and `.equ` constants by name. */
  readonly symbols: ReadonlyMap<string, number>;
}

/** The most bytes an image may have: a bound for `.space` and `.org` typos, far above any demo kernel. */
export const MAX_IMAGE_BYTES: number = 16 * 1024 * 1024;

type SymbolEntry =
  | { kind: 'label'; value: bigint; place: LinePlace; col: number }
  | { kind: 'equ'; expr: Expr; here: bigint; place: LinePlace; col: number; value?: bigint; resolving?: boolean };

interface Placed {
  readonly line: ParsedLine;
  readonly address: bigint;
  readonly size: number;
}

/**
 * Assembles UT32 source. Throws TraceError('E_PARSE') for the first error, located `file:line:col` (`toString()`
 * prints it GCC-style). Pure: reads no files, keeps no state between calls.
 */
export function assemble(source: string, options: AssembleOptions = {}): AssembledImage {
  const file = options.file ?? '<asm>';
  const origin = options.origin ?? 0;
  if (!Number.isInteger(origin) || origin < 0 || origin > 0xffff_ffff) {
    throw new TraceError('E_USAGE', `assembler origin must be a 32-bit address, got ${String(origin)}`);
  }
  const symbols = new Map<string, SymbolEntry>();
  const predefined: LinePlace = { file, line: 0 };
  for (const [name, value] of Object.entries(options.defines ?? {})) {
    const v = BigInt(value);
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) || v < -(1n << 31n) || v >= 1n << 32n) {
      throw new TraceError('E_USAGE', `assembler define ${name}=${String(value)} is not a symbol with a 32-bit value`);
    }
    define(symbols, name, { kind: 'label', value: v, place: predefined, col: 0 });
  }
  const lookup = (place: LinePlace, here: bigint): EvalEnv => ({
    here,
    symbol: (name, col) => symbolValue(symbols, name, place, col),
  });

  // Pass 1: parse, define symbols, place every statement.
  const placed: Placed[] = [];
  let address = BigInt(origin);
  let entryExpr: { expr: Expr; place: LinePlace; here: bigint } | undefined;
  source.split('\n').forEach((text, n) => {
    const place = { file, line: n + 1 };
    const line = parseLine(text, place);
    const here = address;
    if (line.label) define(symbols, line.label.name, { kind: 'label', value: here, place, col: line.label.col });
    const st = line.statement;
    let size = 0;
    switch (st.kind) {
      case 'equ':
        define(symbols, st.name, { kind: 'equ', expr: st.expr, here, place, col: st.nameCol });
        break;
      case 'entry':
        entryExpr = { expr: st.expr, place, here };
        break;
      case 'org': {
        const target = evalExpr(st.expr, lookup(place, here), place);
        if (target < here) throw asmError(place, st.col, `.org ${hex(target)} is below the current address ${hex(here)}`);
        size = checkedSize(target - here, place, st.col);
        break;
      }
      case 'align': {
        const n = evalExpr(st.expr, lookup(place, here), place);
        if (n < 1n || n > 0x10000n || (n & (n - 1n)) !== 0n) throw asmError(place, st.col, `.align ${n} is not a power of two in 1..65536`);
        size = Number((n - (here % n)) % n);
        break;
      }
      case 'space': {
        const count = evalExpr(st.count, lookup(place, here), place);
        if (count < 0n) throw asmError(place, st.col, `.space ${count} is negative`);
        size = checkedSize(count, place, st.col);
        break;
      }
      case 'data':
        size = st.width * st.items.length;
        break;
      case 'bytes':
        size = st.bytes.length;
        break;
      case 'insn':
        size = UT32_INSTRUCTION_BYTES;
        break;
      case 'none':
        break;
    }
    placed.push({ line, address: here, size });
    address += BigInt(size);
    if (address - BigInt(origin) > BigInt(MAX_IMAGE_BYTES) || address > 0x1_0000_0000n) {
      throw asmError(place, 1, `the image grows past ${address > 0x1_0000_0000n ? 'the 4 GiB address space' : `${MAX_IMAGE_BYTES} bytes`}`);
    }
  });

  // Pass 2: values and bytes.
  const bytes = new Uint8Array(Number(address - BigInt(origin)));
  const view = new DataView(bytes.buffer);
  for (const { line, address: here, size } of placed) {
    const st = line.statement;
    const env = lookup(line.place, here);
    const at = Number(here - BigInt(origin));
    if (st.kind === 'space' && st.fill !== undefined) {
      bytes.fill(Number(fit(evalExpr(st.fill, env, line.place), 1, line.place, st.col) & 0xffn), at, at + size);
    } else if (st.kind === 'data') {
      st.items.forEach((item, k) => {
        const v = fit(evalExpr(item, env, line.place), st.width, line.place, colOf(item));
        const o = at + k * st.width;
        if (st.width === 1) bytes[o] = Number(v & 0xffn);
        else if (st.width === 2) view.setUint16(o, Number(v & 0xffffn), true);
        else view.setUint32(o, Number(v & 0xffff_ffffn), true);
      });
    } else if (st.kind === 'bytes') {
      bytes.set(st.bytes, at);
    } else if (st.kind === 'insn') {
      encodeInstruction(st, env, line.place, bytes, at);
    } else if (st.kind === 'equ') {
      symbolValue(symbols, st.name, line.place, st.nameCol);
    }
  }

  let entry = origin;
  if (entryExpr !== undefined) {
    const e = entryExpr;
    entry = Number(fit(evalExpr(e.expr, lookup(e.place, e.here), e.place), 4, e.place, colOf(e.expr)) & 0xffff_ffffn);
  }
  const values = new Map<string, number>();
  for (const [name, s] of symbols) values.set(name, Number(s.kind === 'label' ? s.value : s.value!));
  return { bytes, origin, entry, symbols: values };
}

function checkedSize(n: bigint, place: LinePlace, col: number): number {
  if (n > BigInt(MAX_IMAGE_BYTES)) throw asmError(place, col, `${n} bytes is more than an image may hold (${MAX_IMAGE_BYTES})`);
  return Number(n);
}

function define(symbols: Map<string, SymbolEntry>, name: string, entry: SymbolEntry): void {
  if (registerNumber(name) !== undefined) throw asmError(entry.place, entry.col, `'${name}' is a register name and cannot be a symbol`);
  const earlier = symbols.get(name);
  if (earlier !== undefined) {
    const where = earlier.place.line === 0 ? 'by the assembler\'s defines' : `at ${earlier.place.line}:${earlier.col}`;
    throw asmError(entry.place, entry.col, `symbol '${name}' is already defined ${where}`);
  }
  symbols.set(name, entry);
}

function symbolValue(symbols: Map<string, SymbolEntry>, name: string, place: LinePlace, col: number): bigint {
  const s = symbols.get(name);
  if (s === undefined) {
    const why = registerNumber(name) !== undefined ? `register ${name} cannot be used in an expression` : `undefined symbol '${name}'`;
    throw asmError(place, col, why);
  }
  if (s.kind === 'label') return s.value;
  if (s.value !== undefined) return s.value;
  if (s.resolving) throw asmError(place, col, `symbol '${name}' is defined in terms of itself`);
  s.resolving = true;
  try {
    s.value = evalExpr(s.expr, { here: s.here, symbol: (n, c) => symbolValue(symbols, n, s.place, c) }, s.place);
  } finally {
    s.resolving = false;
  }
  return s.value;
}
