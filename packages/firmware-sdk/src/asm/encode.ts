// Encoding one instruction: opcode, register fields A (dest) / B / C and the imm32, as docs/ut32.md lays them out.
import { type EvalEnv, evalExpr } from './expr.js';
import { type LinePlace, asmError } from './lexer.js';
import { colOf, fit } from './values.js';
import type { Statement } from './statements.js';

type Insn = Extract<Statement, { kind: 'insn' }>;

// Port numbers are 16 bits on this machine, as on x86 (DX).
const PORT_IMMEDIATE = /^(in(8|16|32)i|out(8|16|32)i)$/;

/** Writes the 8 bytes of `insn` at `bytes[at]`. Throws asmError for an immediate out of range or an unknown symbol. */
export function encodeInstruction(insn: Insn, env: EvalEnv, place: LinePlace, bytes: Uint8Array, at: number): void {
  const { info, operands } = insn;
  let a = 0;
  let b = 0;
  let c = 0;
  let imm = 0n;
  const reg = (k: number): number => {
    const o = operands[k]!;
    return o.kind === 'reg' ? o.reg : 0;
  };
  const value = (k: number): bigint => {
    const o = operands[k]!;
    if (o.kind === 'imm') return fit(evalExpr(o.expr, env, place), 4, place, colOf(o.expr));
    if (o.kind === 'mem') return o.offset === undefined ? 0n : fit(evalExpr(o.offset, env, place), 4, place, colOf(o.offset));
    return 0n;
  };
  const mem = (k: number): number => {
    const o = operands[k]!;
    return o.kind === 'mem' ? o.base : 0;
  };

  switch (info.form) {
    case 'none':
      break;
    case 'd':
      a = reg(0);
      break;
    case 's':
      b = reg(0);
      break;
    case 'dd':
    case 'ds':
      a = reg(0);
      b = reg(1);
      break;
    case 'dss':
      a = reg(0);
      b = reg(1);
      c = reg(2);
      break;
    case 'di':
      a = reg(0);
      imm = value(1);
      break;
    case 'dsi':
      a = reg(0);
      b = reg(1);
      imm = value(2);
      break;
    case 'i':
      imm = value(0);
      break;
    case 'ss':
      b = reg(0);
      c = reg(1);
      break;
    case 'is':
      c = reg(1);
      imm = value(0);
      break;
    case 'ssi':
      b = reg(0);
      c = reg(1);
      imm = value(2);
      break;
    case 'load':
      a = reg(0);
      b = mem(1);
      imm = value(1);
      break;
    case 'store':
      b = mem(0);
      c = reg(1);
      imm = value(0);
      break;
  }
  if (PORT_IMMEDIATE.test(info.mnemonic) && (imm < 0n || imm > 0xffffn)) {
    const k = info.form === 'is' ? 0 : 1;
    throw asmError(place, operands[k]!.col, `port ${imm < 0n ? imm : `0x${imm.toString(16)}`} is not a 16-bit port number`);
  }
  bytes[at] = info.opcode;
  bytes[at + 1] = (a << 4) | b;
  bytes[at + 2] = c << 4;
  bytes[at + 3] = 0;
  const word = Number(imm & 0xffff_ffffn);
  bytes[at + 4] = word & 0xff;
  bytes[at + 5] = (word >>> 8) & 0xff;
  bytes[at + 6] = (word >>> 16) & 0xff;
  bytes[at + 7] = (word >>> 24) & 0xff;
}
