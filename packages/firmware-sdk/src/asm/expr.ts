// Assembler expressions: integers, symbols and `.` (the current address) with C's operators and precedence.
// Parsed to a tree first, so that a label used before its definition is evaluated in the second pass.
import { type LinePlace, type Token, asmError } from './lexer.js';

/** A parsed expression. Values are exact integers (BigInt) until an operand checks its range. */
export type Expr =
  | { readonly kind: 'number'; readonly value: bigint; readonly col: number }
  | { readonly kind: 'symbol'; readonly name: string; readonly col: number }
  | { readonly kind: 'here'; readonly col: number }
  | { readonly kind: 'unary'; readonly op: string; readonly arg: Expr; readonly col: number }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly col: number };

/** What evaluation needs: symbol values (throwing asmError for an unknown one) and the current address. */
export interface EvalEnv {
  symbol(name: string, col: number): bigint;
  readonly here: bigint;
}

// Binary operators by precedence level, loosest first (C: | ^ & shifts additive multiplicative).
const LEVELS: readonly (readonly string[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/**
 * Parses one expression from `tokens[start]` and returns it with the index of the first token after it. Throws
 * asmError at the first token that cannot continue an expression.
 */
export function parseExpr(tokens: readonly Token[], start: number, place: LinePlace, endCol: number): { expr: Expr; next: number } {
  let i = start;
  const peek = (): Token | undefined => tokens[i];
  const fail = (what: string): never => {
    const t = peek();
    throw asmError(place, t?.col ?? endCol, t === undefined ? `expected ${what} at the end of the line` : `expected ${what}, found '${t.text}'`);
  };

  const primary = (): Expr => {
    const t = peek();
    if (t === undefined) return fail('a value');
    if (t.kind === 'punct' && (t.text === '-' || t.text === '~' || t.text === '+')) {
      i++;
      return { kind: 'unary', op: t.text, arg: primary(), col: t.col };
    }
    if (t.kind === 'punct' && t.text === '(') {
      i++;
      const inner = level(0);
      const close = peek();
      if (close?.kind !== 'punct' || close.text !== ')') fail("')'");
      i++;
      return inner;
    }
    if (t.kind === 'number') {
      i++;
      return { kind: 'number', value: t.value, col: t.col };
    }
    if (t.kind === 'name') {
      i++;
      return t.text === '.' ? { kind: 'here', col: t.col } : { kind: 'symbol', name: t.text, col: t.col };
    }
    return fail('a value');
  };

  const level = (n: number): Expr => {
    if (n === LEVELS.length) return primary();
    let left = level(n + 1);
    for (;;) {
      const t = peek();
      if (t?.kind !== 'punct' || !LEVELS[n]!.includes(t.text)) return left;
      i++;
      left = { kind: 'binary', op: t.text, left, right: level(n + 1), col: t.col };
    }
  };

  const expr = level(0);
  return { expr, next: i };
}

/** Evaluates an expression exactly. Throws asmError for division by zero, a negative shift or an unknown symbol. */
export function evalExpr(expr: Expr, env: EvalEnv, place: LinePlace): bigint {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'symbol':
      return env.symbol(expr.name, expr.col);
    case 'here':
      return env.here;
    case 'unary': {
      const v = evalExpr(expr.arg, env, place);
      return expr.op === '-' ? -v : expr.op === '~' ? ~v : v;
    }
    case 'binary': {
      const a = evalExpr(expr.left, env, place);
      const b = evalExpr(expr.right, env, place);
      switch (expr.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
        case '%':
          if (b === 0n) throw asmError(place, expr.col, 'division by zero in an expression');
          return expr.op === '/' ? a / b : a % b;
        case '<<':
        case '>>':
          if (b < 0n || b > 64n) throw asmError(place, expr.col, `shift count ${b} is not in 0..64`);
          return expr.op === '<<' ? a << b : a >> b;
        case '&':
          return a & b;
        case '^':
          return a ^ b;
        default:
          return a | b;
      }
    }
  }
}
