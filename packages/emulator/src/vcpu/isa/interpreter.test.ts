// The UT32 interpreter instruction by instruction, on a recording Cpu double. Expected values are worked out by
// hand from the manual (docs/ut32.md): two's-complement 32-bit arithmetic, little-endian memory.
import type { Cpu } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { Ut32Fault } from './fault.js';
import { runUt32 } from './interpreter.js';
import { UT32 } from './opcodes.js';

const ORG = 0x100;
const RAM = 0x1000;

type Word = readonly number[];
/** One instruction: opcode, register fields A (dest), B, C, and imm32, encoded by hand as the manual says. */
const I = (opcode: number, a = 0, b = 0, c = 0, imm = 0): Word => [
  opcode,
  (a << 4) | b,
  c << 4,
  0,
  imm & 0xff,
  (imm >>> 8) & 0xff,
  (imm >>> 16) & 0xff,
  (imm >>> 24) & 0xff,
];
/** Address of instruction `i` of a program loaded at ORG. */
const L = (i: number): number => ORG + 8 * i;

interface Double {
  readonly cpu: Cpu;
  readonly log: string[];
}

function double(options: { tsc?: number; ramBytes?: number; portValue?: number; onOut?: () => void } = {}): Double {
  const buffer = new ArrayBuffer(options.ramBytes ?? RAM);
  const log: string[] = [];
  const value = options.portValue ?? 0xa1b2c3d4;
  const input = (what: string, mask: number) => (port: number): number => {
    log.push(`${what} ${port.toString(16)}`);
    return value & mask;
  };
  const output = (what: string) => (port: number, v: number): void => {
    log.push(`${what} ${port.toString(16)} ${(v >>> 0).toString(16)}`);
    options.onOut?.();
  };
  const cpu: Cpu = {
    ram: new Uint8Array(buffer),
    ramView: new DataView(buffer),
    tscHz: 1e9,
    exits: 0,
    inb: input('inb', 0xff),
    inw: input('inw', 0xffff),
    inl: input('inl', -1),
    outb: output('outb'),
    outw: output('outw'),
    outl: output('outl'),
    mmioRead: (addr, size) => {
      log.push(`mmrd ${addr.toString(16)}/${size}`);
      return size === 4 ? value >>> 0 : value & (size === 1 ? 0xff : 0xffff);
    },
    mmioWrite: (addr, size, v) => {
      log.push(`mmwr ${addr.toString(16)}/${size} ${v.toString(16)}`);
    },
    mmioRead64: () => 0n,
    mmioWrite64: () => {},
    rdtsc: () => options.tsc ?? 0,
    halt: () => {
      throw new Error('the interpreter returns halt codes; it must not call halt()');
    },
    jump: () => {
      throw new Error('not used');
    },
  };
  return { cpu, log };
}

function load(cpu: Cpu, program: readonly Word[], at = ORG): void {
  program.forEach((word, i) => cpu.ram.set(word, at + 8 * i));
}

function run(program: readonly Word[], d: Double = double()): number {
  load(d.cpu, program);
  return runUt32(d.cpu, ORG);
}

/** Runs `body` and halts with r1: the value the body left in r1. */
const r1After = (...body: Word[]): number => run([...body, I(UT32.HALT, 0, 1)]);

describe('UT32 halts and moves', () => {
  it('halti returns its immediate, halt its register (signed 32-bit)', () => {
    expect(run([I(UT32.HALTI, 0, 0, 0, 7)])).toBe(7);
    expect(r1After(I(UT32.LI, 1, 0, 0, -2))).toBe(-2);
    expect(r1After(I(UT32.LI, 2, 0, 0, 0x1234), I(UT32.MOV, 1, 2))).toBe(0x1234);
    expect(r1After(I(UT32.LI, 1, 0, 0, 3), I(UT32.NOP))).toBe(3);
  });

  it('rdtsc splits the guest clock into low and high words', () => {
    const d = double({ tsc: 0x1_2345_6789 });
    expect(run([I(UT32.RDTSC, 1, 2), I(UT32.HALT, 0, 1)], d)).toBe(0x23456789);
    expect(run([I(UT32.RDTSC, 1, 2), I(UT32.HALT, 0, 2)], d)).toBe(1);
  });
});

describe('UT32 arithmetic and logic', () => {
  const two = (op: number, x: number, y: number): number =>
    r1After(I(UT32.LI, 2, 0, 0, x), I(UT32.LI, 3, 0, 0, y), I(op, 1, 2, 3));
  const imm = (op: number, x: number, k: number): number => r1After(I(UT32.LI, 2, 0, 0, x), I(op, 1, 2, 0, k));

  it('add, sub and mul wrap modulo 2^32', () => {
    expect(two(UT32.ADD, 5, 7)).toBe(12);
    expect(two(UT32.ADD, 0x7fffffff, 1) >>> 0).toBe(0x80000000);
    expect(two(UT32.SUB, 5, 7)).toBe(-2);
    expect(two(UT32.MUL, 12345, 6789)).toBe(83810205);
    expect(two(UT32.MUL, 0x10000, 0x10000)).toBe(0);
    expect(two(UT32.MUL, -3, 7)).toBe(-21);
  });

  it('divu and remu are unsigned', () => {
    expect(two(UT32.DIVU, -2, 2)).toBe(0x7fffffff);
    expect(two(UT32.DIVU, 17, 5)).toBe(3);
    expect(two(UT32.REMU, 17, 5)).toBe(2);
    expect(two(UT32.REMU, -1, 10)).toBe(5); // 4294967295 % 10
  });

  it('bitwise operations and shifts (amounts taken mod 32)', () => {
    expect(two(UT32.AND, 0xf0f0, 0xff00)).toBe(0xf000);
    expect(two(UT32.OR, 0xf0f0, 0xff00)).toBe(0xfff0);
    expect(two(UT32.XOR, 0xf0f0, 0xff00)).toBe(0x0ff0);
    expect(two(UT32.SHL, 1, 33)).toBe(2);
    expect(two(UT32.SHR, 0x80000000, 4)).toBe(0x08000000);
    expect(two(UT32.SAR, 0x80000000, 4) >>> 0).toBe(0xf8000000);
    expect(r1After(I(UT32.LI, 2, 0, 0, 0), I(UT32.NOT, 1, 2))).toBe(-1);
    expect(r1After(I(UT32.LI, 2, 0, 0, 5), I(UT32.NEG, 1, 2))).toBe(-5);
  });

  it('slt is signed, sltu unsigned', () => {
    expect(two(UT32.SLT, -1, 1)).toBe(1);
    expect(two(UT32.SLT, 1, -1)).toBe(0);
    expect(two(UT32.SLTU, -1, 1)).toBe(0);
    expect(two(UT32.SLTU, 1, -1)).toBe(1);
    expect(two(UT32.SLTU, 4, 4)).toBe(0);
  });

  it('immediate forms', () => {
    expect(imm(UT32.ADDI, 10, -3)).toBe(7);
    expect(imm(UT32.ANDI, 0x1234, 0xff)).toBe(0x34);
    expect(imm(UT32.ORI, 0x1200, 0x34)).toBe(0x1234);
    expect(imm(UT32.XORI, 0xff, 0x0f)).toBe(0xf0);
    expect(imm(UT32.SHLI, 3, 4)).toBe(48);
    expect(imm(UT32.SHRI, -16, 28)).toBe(0xf);
    expect(imm(UT32.SARI, -16, 2)).toBe(-4);
  });
});

describe('UT32 memory', () => {
  const base = (reg: number, value: number): Word => I(UT32.LI, reg, 0, 0, value);

  it('loads are little-endian; ld8s and ld16s sign-extend', () => {
    const d = double();
    d.cpu.ramView.setUint32(0x800, 0x80c0_1122, true); // bytes 22 11 c0 80
    const load = (op: number, imm: number): number => run([base(2, 0x800), I(op, 1, 2, 0, imm), I(UT32.HALT, 0, 1)], d);
    expect(load(UT32.LD8, 0)).toBe(0x22);
    expect(load(UT32.LD16, 0)).toBe(0x1122);
    expect(load(UT32.LD32, 0) >>> 0).toBe(0x80c01122);
    expect(load(UT32.LD8, 3)).toBe(0x80);
    expect(load(UT32.LD8S, 3)).toBe(-128);
    expect(load(UT32.LD16, 2)).toBe(0x80c0);
    expect(load(UT32.LD16S, 2)).toBe(0x80c0 - 0x10000);
  });

  it('stores write the low bytes of the value, with negative offsets', () => {
    const d = double();
    run(
      [
        base(2, 0x804),
        base(3, 0x12345678),
        I(UT32.ST32, 0, 2, 3, -4), // 0x800..0x803 = 78 56 34 12
        I(UT32.ST16, 0, 2, 3, 0), // 0x804..0x805 = 78 56
        I(UT32.ST8, 0, 2, 3, 4), // 0x808 = 78
        I(UT32.HALTI),
      ],
      d,
    );
    expect([...d.cpu.ram.subarray(0x800, 0x809)]).toEqual([0x78, 0x56, 0x34, 0x12, 0x78, 0x56, 0, 0, 0x78]);
  });

  it('push and pop use sp (r15), which starts at the end of RAM', () => {
    const d = double();
    expect(
      run([base(1, 0xabc), I(UT32.PUSH, 0, 1), I(UT32.MOV, 4, 15), I(UT32.POP, 2), I(UT32.SUB, 5, 15, 4), I(UT32.HALT, 0, 5)], d),
    ).toBe(4);
    expect(d.cpu.ramView.getUint32(RAM - 4, true)).toBe(0xabc);
    expect(run([I(UT32.HALT, 0, 15)])).toBe(RAM);
  });
});

describe('UT32 control flow', () => {
  it('jmp, jmpr, call (pushes the next pc), callr and ret', () => {
    const d = double();
    const program = [
      I(UT32.CALL, 0, 0, 0, L(4)), // 0
      I(UT32.LI, 6, 0, 0, L(6)), // 1
      I(UT32.CALLR, 0, 6), // 2
      I(UT32.JMP, 0, 0, 0, L(8)), // 3
      I(UT32.LD32, 5, 15, 0, 0), // 4: f: r5 = return address on the stack
      I(UT32.RET), // 5
      I(UT32.ADDI, 1, 1, 0, 100), // 6: g
      I(UT32.RET), // 7
      I(UT32.LI, 7, 0, 0, L(10)), // 8
      I(UT32.JMPR, 0, 7), // 9
      I(UT32.ADD, 1, 1, 5), // 10: r1 = 100 + L(1)
      I(UT32.HALT, 0, 1), // 11
    ];
    expect(run(program, d)).toBe(100 + L(1));
  });

  const branch = (op: number, x: number, y: number): number =>
    run([
      I(UT32.LI, 2, 0, 0, x),
      I(UT32.LI, 3, 0, 0, y),
      I(op, 0, 2, 3, L(4)),
      I(UT32.HALTI, 0, 0, 0, 0), // not taken
      I(UT32.HALTI, 0, 0, 0, 1), // taken
    ]);

  it.each([
    ['beq', UT32.BEQ, 4, 4, 1],
    ['beq', UT32.BEQ, 4, 5, 0],
    ['bne', UT32.BNE, 4, 5, 1],
    ['bne', UT32.BNE, 4, 4, 0],
    ['blt signed', UT32.BLT, -1, 1, 1],
    ['blt signed', UT32.BLT, 1, -1, 0],
    ['bge signed', UT32.BGE, 1, -1, 1],
    ['bge equal', UT32.BGE, 3, 3, 1],
    ['bge signed', UT32.BGE, -1, 1, 0],
    ['bltu unsigned', UT32.BLTU, -1, 1, 0],
    ['bltu unsigned', UT32.BLTU, 1, -1, 1],
    ['bgeu unsigned', UT32.BGEU, -1, 1, 1],
    ['bgeu unsigned', UT32.BGEU, 1, -1, 0],
  ])('%s %d, %d taken: %d', (_name, op, x, y, taken) => {
    expect(branch(op, x, y)).toBe(taken);
  });
});

describe('UT32 exits', () => {
  it('port input and output of each width, from a register or an immediate port', () => {
    const d = double();
    const code = run(
      [
        I(UT32.LI, 2, 0, 0, 0x510),
        I(UT32.LI, 3, 0, 0, 0x1ff),
        I(UT32.IN8, 4, 2),
        I(UT32.IN16I, 5, 0, 0, 0x511),
        I(UT32.IN32, 6, 2),
        I(UT32.OUT8, 0, 2, 3),
        I(UT32.OUT16I, 0, 0, 3, 0x518),
        I(UT32.OUT32, 0, 2, 6),
        I(UT32.IN8I, 7, 0, 0, 0x70),
        I(UT32.IN32I, 8, 0, 0, 0x71),
        I(UT32.LI, 9, 0, 0, 0x72),
        I(UT32.IN16, 10, 9),
        I(UT32.OUT8I, 0, 0, 4, 0x80),
        I(UT32.OUT16, 0, 9, 5),
        I(UT32.OUT32I, 0, 0, 8, 0x90),
        I(UT32.ADD, 1, 4, 5),
        I(UT32.HALT, 0, 1),
      ],
      d,
    );
    expect(code).toBe(0xd4 + 0xc3d4);
    expect(d.log).toEqual([
      'inb 510',
      'inw 511',
      'inl 510',
      'outb 510 1ff',
      'outw 518 1ff',
      'outl 510 a1b2c3d4',
      'inb 70',
      'inl 71',
      'inw 72',
      'outb 80 d4',
      'outw 72 c3d4',
      'outl 90 a1b2c3d4',
    ]);
  });

  it('MMIO reads and writes at base + offset, values cut to the width', () => {
    const d = double();
    run(
      [
        I(UT32.LI, 2, 0, 0, 0x09020000),
        I(UT32.LI, 3, 0, 0, 0x12345678),
        I(UT32.MMRD8, 4, 2, 0, 1),
        I(UT32.MMRD16, 5, 2, 0, 8),
        I(UT32.MMRD32, 6, 2, 0, 16),
        I(UT32.MMWR8, 0, 2, 3, 0),
        I(UT32.MMWR16, 0, 2, 3, 8),
        I(UT32.MMWR32, 0, 2, 3, -4),
        I(UT32.HALTI),
      ],
      d,
    );
    expect(d.log).toEqual([
      'mmrd 9020001/1',
      'mmrd 9020008/2',
      'mmrd 9020010/4',
      'mmwr 9020000/1 78',
      'mmwr 9020008/2 5678',
      'mmwr 901fffc/4 12345678',
    ]);
  });

  it('whatever an exit throws (a halt or quit signal) passes through untouched', () => {
    const signal = { why: 'quit' };
    const d = double({
      onOut: () => {
        throw signal;
      },
    });
    expect(() => run([I(UT32.OUT8I, 0, 0, 1, 0x80), I(UT32.HALTI)], d)).toThrow(expect.objectContaining(signal));
  });
});

describe('UT32 faults', () => {
  const fault = (program: readonly Word[], d: Double = double()): Ut32Fault => {
    try {
      run(program, d);
    } catch (err) {
      if (err instanceof Ut32Fault) return err;
      throw err;
    }
    throw new Error('no fault');
  };

  it('zeroed RAM and unknown opcodes fault with the pc', () => {
    const f = fault([I(UT32.NOP), I(0x00)]);
    expect(f).toMatchObject({ kind: 'opcode', pc: L(1), name: 'Ut32Fault' });
    expect(f.message).toBe('UT32 opcode fault at pc 0x00000108: unknown opcode 0x00');
    expect(fault([I(0xff)]).kind).toBe('opcode');
  });

  it('reserved bits must be zero', () => {
    const word = [...I(UT32.NOP)];
    word[3] = 1;
    expect(fault([word]).kind).toBe('encoding');
    const low = [...I(UT32.ADD, 1, 2, 3)];
    low[2] |= 1;
    expect(fault([low]).kind).toBe('encoding');
  });

  it('fetches outside RAM fault, including a partial last instruction', () => {
    expect(fault([I(UT32.JMP, 0, 0, 0, RAM)]).kind).toBe('fetch');
    expect(fault([I(UT32.JMP, 0, 0, 0, RAM - 4)])).toMatchObject({ kind: 'fetch', pc: RAM - 4 });
    expect(fault([I(UT32.JMP, 0, 0, 0, -8)]).pc).toBe(0xfffffff8);
  });

  it('loads and stores outside RAM fault; addresses wrap at 2^32 first', () => {
    const f = fault([I(UT32.LI, 2, 0, 0, RAM - 2), I(UT32.LD32, 1, 2)]);
    expect(f.message).toBe('UT32 memory fault at pc 0x00000108: load of 4 bytes at 0x00000ffe is outside guest RAM (0x00001000 bytes)');
    expect(fault([I(UT32.LI, 2, 0, 0, -1), I(UT32.ST8, 0, 2, 3, 0)]).kind).toBe('memory');
    // -1 + 1 wraps to address 0, which is inside RAM.
    expect(run([I(UT32.LI, 2, 0, 0, -1), I(UT32.LD8, 1, 2, 0, 1), I(UT32.HALT, 0, 1)])).toBe(0);
  });

  it('stack overflow and underflow fault', () => {
    expect(fault([I(UT32.LI, 15, 0, 0, 2), I(UT32.PUSH, 0, 1)]).message).toContain('stack push of 4 bytes at 0xfffffffe');
    expect(fault([I(UT32.RET)]).message).toContain('stack pop of 4 bytes at 0x00001000');
    expect(fault([I(UT32.LI, 15, 0, 0, 0), I(UT32.CALL, 0, 0, 0, ORG)]).kind).toBe('memory');
  });

  it('division by zero faults', () => {
    expect(fault([I(UT32.DIVU, 1, 2, 3)])).toMatchObject({ kind: 'divide', pc: ORG });
    expect(fault([I(UT32.REMU, 1, 2, 3)]).kind).toBe('divide');
  });

  it('an entry point that is not a 32-bit address is refused', () => {
    expect(() => runUt32(double().cpu, 1.5)).toThrow(Ut32Fault);
    expect(() => runUt32(double().cpu, -1)).toThrow(/not a 32-bit guest-physical address/);
  });
});
