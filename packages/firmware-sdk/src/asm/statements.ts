// One source line as a statement: an optional label, then a directive or an instruction with its operands.
import { type Expr, parseExpr } from './expr.js';
import { type LinePlace, type Token, asmError, lexLine } from './lexer.js';
import { type Ut32OpInfo, UT32_OPS } from './opcodes.js';
import { type Operand, formMismatch, parseOperands } from './operands.js';

/** What a line asks for, besides its label. */
export type Statement =
  | { readonly kind: 'none' }
  | { readonly kind: 'equ'; readonly name: string; readonly nameCol: number; readonly expr: Expr }
  | { readonly kind: 'org' | 'align' | 'entry'; readonly expr: Expr; readonly col: number }
  | { readonly kind: 'space'; readonly count: Expr; readonly fill: Expr | undefined; readonly col: number }
  | { readonly kind: 'data'; readonly width: 1 | 2 | 4; readonly items: readonly Expr[] }
  | { readonly kind: 'bytes'; readonly bytes: readonly number[] }
  | { readonly kind: 'insn'; readonly info: Ut32OpInfo; readonly operands: readonly Operand[]; readonly col: number };

/** A parsed line. */
export interface ParsedLine {
  readonly place: LinePlace;
  readonly label: { readonly name: string; readonly col: number } | undefined;
  readonly statement: Statement;
}

const BY_MNEMONIC: ReadonlyMap<string, Ut32OpInfo> = new Map(UT32_OPS.map((info) => [info.mnemonic, info]));
const DATA_WIDTH: Readonly<Record<string, 1 | 2 | 4>> = { '.byte': 1, '.half': 2, '.word': 4 };

/** The directives the assembler knows, for messages. */
export const DIRECTIVES: readonly string[] = ['.equ', '.org', '.align', '.entry', '.space', '.byte', '.half', '.word', '.ascii', '.asciz'];

/** Parses one line. Throws asmError (E_PARSE at file:line:col) for anything it cannot read. */
export function parseLine(text: string, place: LinePlace): ParsedLine {
  const tokens = lexLine(text, place);
  const endCol = text.replace(/[ \t\r]*([;#].*)?$/, '').length + 1;
  let i = 0;
  let label: ParsedLine['label'];
  const first = tokens[0];
  const colon = tokens[1];
  if (first?.kind === 'name' && colon?.kind === 'punct' && colon.text === ':') {
    if (first.text === '.') throw asmError(place, first.col, "'.' (the current address) cannot be a label");
    label = { name: first.text, col: first.col };
    i = 2;
  }
  const head = tokens[i];
  if (head === undefined) return { place, label, statement: { kind: 'none' } };
  if (head.kind !== 'name') throw asmError(place, head.col, `expected a label, directive or mnemonic, found '${head.text}'`);
  const word = head.text.toLowerCase();
  const statement = word.startsWith('.')
    ? directive(word, head, tokens, i + 1, place, endCol)
    : instruction(word, head, tokens, i + 1, place, endCol);
  return { place, label, statement };
}

function instruction(word: string, head: Token, tokens: readonly Token[], start: number, place: LinePlace, endCol: number): Statement {
  const info = BY_MNEMONIC.get(word);
  if (info === undefined) throw asmError(place, head.col, `unknown mnemonic '${head.text}'`);
  const operands = parseOperands(tokens, start, place, endCol);
  const mismatch = formMismatch(info.form, operands);
  if (mismatch === undefined) return { kind: 'insn', info, operands, col: head.col };
  // `in8 r1, 0x511` and `out32 PORT, r2` mean the immediate-port forms in8i and out32i.
  const alt = BY_MNEMONIC.get(`${word}i`);
  if (alt !== undefined && formMismatch(alt.form, operands) === undefined) return { kind: 'insn', info: alt, operands, col: head.col };
  throw asmError(place, mismatch.col ?? head.col, `${info.mnemonic} ${mismatch.message}`);
}

function directive(word: string, head: Token, tokens: readonly Token[], start: number, place: LinePlace, endCol: number): Statement {
  const exprs = (): Expr[] => {
    const out: Expr[] = [];
    let i = start;
    while (i < tokens.length) {
      const { expr, next } = parseExpr(tokens, i, place, endCol);
      out.push(expr);
      const t = tokens[next];
      if (t === undefined) return out;
      if (t.kind !== 'punct' || t.text !== ',') throw asmError(place, t.col, `expected ',' or the end of the line, found '${t.text}'`);
      if (next + 1 >= tokens.length) throw asmError(place, t.col, "expected a value after ','");
      i = next + 1;
    }
    return out;
  };
  const counted = (min: number, max: number): Expr[] => {
    const list = exprs();
    if (list.length < min || list.length > max) {
      const want = min === max ? `${min}` : `${min} or ${max}`;
      throw asmError(place, head.col, `${word} takes ${want} value${max === 1 ? '' : 's'}, got ${list.length}`);
    }
    return list;
  };

  switch (word) {
    case '.equ': {
      const name = tokens[start];
      const comma = tokens[start + 1];
      if (name?.kind !== 'name' || name.text === '.') throw asmError(place, name?.col ?? endCol, '.equ needs a symbol name: .equ NAME, VALUE');
      if (comma?.kind !== 'punct' || comma.text !== ',') throw asmError(place, comma?.col ?? endCol, "expected ',' after the .equ name");
      const { expr, next } = parseExpr(tokens, start + 2, place, endCol);
      if (next < tokens.length) throw asmError(place, tokens[next]!.col, `unexpected '${tokens[next]!.text}' after the .equ value`);
      return { kind: 'equ', name: name.text, nameCol: name.col, expr };
    }
    case '.org':
    case '.align':
    case '.entry':
      return { kind: word.slice(1) as 'org' | 'align' | 'entry', expr: counted(1, 1)[0]!, col: head.col };
    case '.space': {
      const [count, fill] = counted(1, 2);
      return { kind: 'space', count: count!, fill, col: head.col };
    }
    case '.byte':
    case '.half':
    case '.word': {
      if (start >= tokens.length) throw asmError(place, head.col, `${word} needs at least one value`);
      return { kind: 'data', width: DATA_WIDTH[word]!, items: exprs() };
    }
    case '.ascii':
    case '.asciz': {
      const str = tokens[start];
      if (str?.kind !== 'string') throw asmError(place, str?.col ?? endCol, `${word} needs one "string"`);
      if (tokens.length > start + 1) throw asmError(place, tokens[start + 1]!.col, `unexpected '${tokens[start + 1]!.text}' after the string`);
      return { kind: 'bytes', bytes: word === '.asciz' ? [...str.bytes, 0] : str.bytes };
    }
    default:
      throw asmError(place, head.col, `unknown directive '${head.text}' (known: ${DIRECTIVES.join(' ')})`);
  }
}
