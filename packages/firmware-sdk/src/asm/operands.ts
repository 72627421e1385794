// Instruction operands: registers, `[rs±expr]` memory operands and expressions, matched against an opcode's form.
import { type Expr, parseExpr } from './expr.js';
import { type LinePlace, type Token, asmError } from './lexer.js';
import { UT32_SP, type Ut32Form } from './opcodes.js';

/** One operand as written. */
export type Operand =
  | { readonly kind: 'reg'; readonly reg: number; readonly col: number }
  | { readonly kind: 'mem'; readonly base: number; readonly offset: Expr | undefined; readonly col: number }
  | { readonly kind: 'imm'; readonly expr: Expr; readonly col: number };

/** Operand kinds in assembly order for each form (see the form table in core's ut32-opcodes.ts). */
export const FORM_OPERANDS: Readonly<Record<Ut32Form, readonly Operand['kind'][]>> = {
  none: [],
  d: ['reg'],
  s: ['reg'],
  dd: ['reg', 'reg'],
  ds: ['reg', 'reg'],
  dss: ['reg', 'reg', 'reg'],
  di: ['reg', 'imm'],
  dsi: ['reg', 'reg', 'imm'],
  i: ['imm'],
  ss: ['reg', 'reg'],
  is: ['imm', 'reg'],
  ssi: ['reg', 'reg', 'imm'],
  load: ['reg', 'mem'],
  store: ['mem', 'reg'],
};

/** The register a name denotes (`r0`..`r15`, `sp`; any case), or undefined. */
export function registerNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower === 'sp') return UT32_SP;
  const m = /^r([0-9]|1[0-5])$/.exec(lower);
  return m ? Number(m[1]) : undefined;
}

/** Splits the tokens after a mnemonic at top-level commas and reads each operand. Throws asmError. */
export function parseOperands(tokens: readonly Token[], start: number, place: LinePlace, endCol: number): Operand[] {
  const operands: Operand[] = [];
  let i = start;
  while (i < tokens.length) {
    const { operand, next } = parseOperand(tokens, i, place, endCol);
    operands.push(operand);
    i = next;
    const t = tokens[i];
    if (t === undefined) break;
    if (t.kind !== 'punct' || t.text !== ',') throw asmError(place, t.col, `expected ',' between operands, found '${t.text}'`);
    i++;
    if (i >= tokens.length) throw asmError(place, t.col, "expected an operand after ','");
  }
  return operands;
}

function parseOperand(tokens: readonly Token[], i: number, place: LinePlace, endCol: number): { operand: Operand; next: number } {
  const t = tokens[i]!;
  if (t.kind === 'name') {
    const reg = registerNumber(t.text);
    const after = tokens[i + 1];
    if (reg !== undefined && (after === undefined || (after.kind === 'punct' && after.text === ','))) {
      return { operand: { kind: 'reg', reg, col: t.col }, next: i + 1 };
    }
  }
  if (t.kind === 'punct' && t.text === '[') {
    const baseTok = tokens[i + 1];
    const base = baseTok?.kind === 'name' ? registerNumber(baseTok.text) : undefined;
    if (base === undefined) {
      throw asmError(place, baseTok?.col ?? t.col, 'a memory operand starts with its base register: [rN], [rN+OFFSET] or [rN-OFFSET]');
    }
    let j = i + 2;
    let offset: Expr | undefined;
    const sign = tokens[j];
    if (sign?.kind === 'punct' && (sign.text === '+' || sign.text === '-')) {
      // The sign belongs to the offset: `[r2-4]` is base r2, offset -4.
      const parsed = parseExpr(tokens, j, place, endCol);
      offset = parsed.expr;
      j = parsed.next;
    }
    const close = tokens[j];
    if (close?.kind !== 'punct' || close.text !== ']') {
      throw asmError(place, close?.col ?? endCol, close === undefined ? "expected ']'" : `expected ']' or +/- OFFSET, found '${close.text}'`);
    }
    return { operand: { kind: 'mem', base, offset, col: t.col }, next: j + 1 };
  }
  const { expr, next } = parseExpr(tokens, i, place, endCol);
  return { operand: { kind: 'imm', expr, col: t.col }, next };
}

/** Why operands do not fit a form, or undefined when they do. */
export function formMismatch(form: Ut32Form, operands: readonly Operand[]): { col: number | undefined; message: string } | undefined {
  const want = FORM_OPERANDS[form];
  if (operands.length !== want.length) {
    return { col: operands[want.length]?.col, message: `takes ${want.length === 0 ? 'no operands' : describe(want)}, got ${operands.length}` };
  }
  for (let k = 0; k < want.length; k++) {
    const got = operands[k]!;
    if (got.kind !== want[k]) return { col: got.col, message: `operand ${k + 1} must be ${article(want[k]!)}, not ${article(got.kind)}` };
  }
  return undefined;
}

function describe(kinds: readonly Operand['kind'][]): string {
  return `${kinds.length} operand${kinds.length === 1 ? '' : 's'} (${kinds.map(article).join(', ')})`;
}

function article(kind: Operand['kind']): string {
  return kind === 'reg' ? 'a register' : kind === 'mem' ? 'a memory operand [rN±OFFSET]' : 'a value';
}
