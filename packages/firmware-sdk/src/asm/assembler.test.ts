// The UT32 assembler: encodings checked against bytes laid out by hand from the manual (opcode, A<<4|B, C<<4, 0,
// imm32 little-endian), every directive, expressions with C precedence, and errors located at line:col.
import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { assemble } from './assembler.js';

const bytesOf = (source: string, origin = 0): number[] => [...assemble(source, { origin }).bytes];
const word = (opcode: number, fields: number, c: number, imm: number): number[] => [
  opcode,
  fields,
  c,
  0,
  imm & 0xff,
  (imm >>> 8) & 0xff,
  (imm >>> 16) & 0xff,
  (imm >>> 24) & 0xff,
];

/** The located one-line message of the error `source` raises (as `unitrace` would print it). */
function errorOf(source: string): string {
  try {
    assemble(source, { file: 'k.s' });
  } catch (err) {
    if (isTraceError(err, 'E_PARSE')) return err.toString();
    throw err;
  }
  throw new Error('assembled without an error');
}

describe('instruction encoding, one per form', () => {
  it.each([
    ['nop', word(0x01, 0x00, 0x00, 0)],
    ['ret', word(0x44, 0x00, 0x00, 0)],
    ['pop r4', word(0x46, 0x40, 0x00, 0)],
    ['push r4', word(0x45, 0x04, 0x00, 0)],
    ['halt r3', word(0x02, 0x03, 0x00, 0)],
    ['rdtsc r1, r2', word(0x04, 0x12, 0x00, 0)],
    ['mov r10, r11', word(0x11, 0xab, 0x00, 0)],
    ['add r1, r2, r3', word(0x12, 0x12, 0x30, 0)],
    ['sltu r15, r0, r14', word(0x20, 0xf0, 0xe0, 0)],
    ['li r5, 0x12345678', word(0x10, 0x50, 0x00, 0x12345678)],
    ['li r5, -1', word(0x10, 0x50, 0x00, 0xffffffff)],
    ['addi r1, r2, -8', word(0x21, 0x12, 0x00, -8)],
    ['halti 3', word(0x03, 0x00, 0x00, 3)],
    ['jmp 0x400', word(0x40, 0x00, 0x00, 0x400)],
    ['out8 r2, r3', word(0x53, 0x02, 0x30, 0)],
    ['out32i 0x510, r2', word(0x5d, 0x00, 0x20, 0x510)],
    ['bne r1, r2, 0x20', word(0x49, 0x01, 0x20, 0x20)],
    ['ld32 r1, [r2-4]', word(0x32, 0x12, 0x00, -4)],
    ['ld8 r1, [r2]', word(0x30, 0x12, 0x00, 0)],
    ['st16 [sp+2], r3', word(0x39, 0x0f, 0x30, 2)],
    ['mmwr32 [r9+0x10], r1', word(0x65, 0x09, 0x10, 0x10)],
  ])('%s', (source, expected) => {
    expect(bytesOf(source)).toEqual(expected);
  });

  it('in/out with an immediate port pick the immediate forms', () => {
    expect(bytesOf('in8 r1, 0x511')).toEqual(word(0x58, 0x10, 0x00, 0x511));
    expect(bytesOf('in16 r1, r2')).toEqual(word(0x51, 0x12, 0x00, 0));
    expect(bytesOf('out32 0x510, r2')).toEqual(word(0x5d, 0x00, 0x20, 0x510));
  });

  it('an immediate in place of the last register picks the …i form where one exists', () => {
    expect(bytesOf('add r1, r2, 5')).toEqual(word(0x21, 0x12, 0x00, 5));
    expect(bytesOf('shr r1, r2, 3')).toEqual(word(0x26, 0x12, 0x00, 3));
  });

  it('mnemonics and registers are case-insensitive; sp is r15', () => {
    expect(bytesOf('ADD R1, r2, SP')).toEqual(word(0x12, 0x12, 0xf0, 0));
  });
});

describe('labels, origin and symbols', () => {
  it('labels count from the origin and may be used before they are defined', () => {
    const image = assemble('start: jmp end\n  nop\nend: jmp start\n', { origin: 0x1000 });
    expect([...image.bytes]).toEqual([...word(0x40, 0, 0, 0x1010), ...word(0x01, 0, 0, 0), ...word(0x40, 0, 0, 0x1000)]);
    expect(image.symbols.get('start')).toBe(0x1000);
    expect(image.symbols.get('end')).toBe(0x1010);
    expect(image.entry).toBe(0x1000);
  });

  it('.entry sets the entry point; a label may stand alone on its line', () => {
    const image = assemble('.word 0\nmain:\n  halti 0\n.entry main\n', { origin: 0x200 });
    expect(image.entry).toBe(0x204);
  });

  it('.equ defines constants, may refer to later labels, and `.` is the current address', () => {
    const image = assemble('.equ LEN, end - msg\n.equ TWICE, LEN * 2\nmsg: .ascii "abc"\nend: .byte LEN, TWICE, . - msg\n', { origin: 0x10 });
    expect([...image.bytes]).toEqual([0x61, 0x62, 0x63, 3, 6, 3]);
    expect(image.symbols.get('LEN')).toBe(3);
  });

  it('defines are symbols before the first line; the source may not redefine them', () => {
    const image = assemble('li r1, EVENT + 1\n.word HASH', { defines: { EVENT: 4, HASH: 0xdeadbeefn } });
    expect([...image.bytes]).toEqual([...word(0x10, 0x10, 0, 5), 0xef, 0xbe, 0xad, 0xde]);
    expect(() => assemble('EVENT: nop', { file: 'k.s', defines: { EVENT: 1 } })).toThrow(
      "symbol 'EVENT' is already defined by the assembler's defines",
    );
    expect(() => assemble('nop', { defines: { 'no good': 1 } })).toThrow(/is not a symbol with a 32-bit value/);
    expect(() => assemble('nop', { defines: { BIG: 2 ** 32 } })).toThrow(/is not a symbol with a 32-bit value/);
  });
});

describe('data directives', () => {
  it('.byte, .half and .word are little-endian and accept negative values', () => {
    expect(bytesOf('.byte 1, 255, -1\n.half 0x1234, -2\n.word 0xdeadbeef, -1')).toEqual([
      1, 255, 255, 0x34, 0x12, 0xfe, 0xff, 0xef, 0xbe, 0xad, 0xde, 0xff, 0xff, 0xff, 0xff,
    ]);
  });

  it('.ascii and .asciz with escapes', () => {
    expect(bytesOf('.ascii "a\\n\\x41\\"\\\\"\n.asciz "b;#"')).toEqual([0x61, 10, 0x41, 0x22, 0x5c, 0x62, 0x3b, 0x23, 0]);
  });

  it('.space fills (with zeros by default), .align pads to a power of two, .org moves forward', () => {
    expect(bytesOf('.byte 1\n.space 2\n.space 2, 0xee\n.align 4\n.byte 2\n.org 0x0c\n.byte 3')).toEqual([
      1, 0, 0, 0xee, 0xee, 0, 0, 0, 2, 0, 0, 0, 3,
    ]);
    expect(bytesOf('.align 8\n.byte 1', 0x101)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('expressions', () => {
  const value = (expr: string): number => new DataView(assemble(`.word ${expr}`).bytes.buffer).getUint32(0, true);

  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['1 << 4 | 1', 17],
    ['6 & 3 ^ 1', 3],
    ['10 / 3', 3],
    ['10 % 3', 1],
    ['-1', 0xffffffff],
    ['~0 >> 28', 0xffffffff],
    ['~0 & 0xff', 0xff],
    ["'A' + 1", 66],
    ["'\\n'", 10],
    ['0b101', 5],
    ['0o17', 15],
    ['0x8000_0000', 0x80000000],
    ['1_000', 1000],
  ])('%s = %d', (expr, expected) => {
    expect(value(expr)).toBe(expected);
  });
});

describe('errors are located at line:col', () => {
  it.each([
    ['nop\n  ldd r1, [r2]', 'k.s:2:3: unknown mnemonic \'ldd\''],
    ['add r1, r2', 'k.s:1:1: add takes 3 operands (a register, a register, a register), got 2'],
    ['sub r1, r2, 5', 'k.s:1:13: sub operand 3 must be a register, not a value'],
    ['li 5, r1', 'k.s:1:4: li operand 1 must be a register, not a value'],
    ['ld32 r1, [5]', 'k.s:1:11: a memory operand starts with its base register: [rN], [rN+OFFSET] or [rN-OFFSET]'],
    ['ld32 r1, [r2 4]', "k.s:1:14: expected ']' or +/- OFFSET, found '4'"],
    ['jmp nowhere', "k.s:1:5: undefined symbol 'nowhere'"],
    ['x: nop\nx: nop', "k.s:2:1: symbol 'x' is already defined at 1:1"],
    ['li r1, 0x100000000', 'k.s:1:8: value 0x100000000 does not fit in 32 bits'],
    ['.byte 256', 'k.s:1:7: value 0x100 does not fit in 8 bits'],
    ['.half -32769', 'k.s:1:7: value -0x8001 does not fit in 16 bits'],
    ['.space 8\n.org 4', 'k.s:2:1: .org 0x4 is below the current address 0x8'],
    ['.align 3', 'k.s:1:1: .align 3 is not a power of two in 1..65536'],
    ['.bogus 1', "k.s:1:1: unknown directive '.bogus' (known: .equ .org .align .entry .space .byte .half .word .ascii .asciz)"],
    ['.ascii "abc', 'k.s:1:8: unterminated string'],
    ['nop @', "k.s:1:5: unexpected character '@'"],
    ['out8 0x10000, r1', 'k.s:1:6: port 0x10000 is not a 16-bit port number'],
    ['li r1, r2 + 1', 'k.s:1:8: register r2 cannot be used in an expression'],
    ['r3: nop', "k.s:1:1: 'r3' is a register name and cannot be a symbol"],
    ['.equ A, B\n.equ B, A\n.word A', "k.s:2:9: symbol 'A' is defined in terms of itself"],
    ['.word 1 / (2 - 2)', 'k.s:1:9: division by zero in an expression'],
    ['.word 08x', "k.s:1:7: '08x' is not a number (decimal, 0x hex, 0b binary or 0o octal)"],
    ['add r1, r2,', "k.s:1:11: expected an operand after ','"],
    ['.space 0x2000000', 'k.s:1:1: 33554432 bytes is more than an image may hold (16777216)'],
  ])('%j', (source, message) => {
    expect(errorOf(source)).toBe(message);
  });

  it('an origin that is not a 32-bit address is a usage error', () => {
    expect(() => assemble('nop', { origin: -1 })).toThrow(/origin must be a 32-bit address/);
  });
});
