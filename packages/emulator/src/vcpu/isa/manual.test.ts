// The manual (docs/ut32.md) and the opcode table must agree: every row's opcode, mnemonic, form and summary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UT32, UT32_OPS, ut32OpInfo } from './opcodes.js';

const manual = readFileSync(new URL('../../../docs/ut32.md', import.meta.url), 'utf8');
const ROW = /^\| (0x[0-9a-f]{2}) \| `([a-z0-9]+)[^`]*` \| ([a-z]+) \| (.*) \|$/;

describe('docs/ut32.md', () => {
  const rows = manual
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ opcode: Number(m[1]), mnemonic: m[2], form: m[3], summary: m[4]!.replace(/\\\|/g, '|') }));

  it('documents every instruction of the table, in opcode order, as the table says', () => {
    expect(rows).toEqual(UT32_OPS.map(({ opcode, mnemonic, form, summary }) => ({ opcode, mnemonic, form, summary })));
  });

  it('has one table entry per UT32 constant, and opcode 0x00 is none', () => {
    expect(Object.values(UT32).sort((a, b) => a - b)).toEqual(UT32_OPS.map((o) => o.opcode));
    expect(ut32OpInfo(0)).toBeUndefined();
  });
});
