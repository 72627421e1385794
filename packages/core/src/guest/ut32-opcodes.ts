// UT32, the demo machine's tiny 32-bit CPU: opcode numbers and operand forms, shared by the emulator's interpreter
// and the firmware SDK's assembler so that neither imports the other. packages/emulator/docs/ut32.md is the manual.

/** Bytes of every UT32 instruction: opcode, two register bytes, a zero byte, then a little-endian imm32. */
export const UT32_INSTRUCTION_BYTES = 8;
/** Number of general registers (r0..r15). */
export const UT32_REGISTER_COUNT = 16;
/** The register CALL, RET, PUSH and POP use as the stack pointer (r15, alias `sp`). */
export const UT32_SP = 15;

/**
 * How an instruction's operands are written and where they sit. Register fields: A = high nibble of byte 1
 * (destination), B = low nibble of byte 1 (first source), C = high nibble of byte 2 (second source).
 *
 * | form     | assembly              | fields    |
 * | -------- | --------------------- | --------- |
 * | `none`   | `op`                  |           |
 * | `d`      | `op rd`               | A         |
 * | `s`      | `op rs`               | B         |
 * | `dd`     | `op rd, rd2`          | A, B      |
 * | `ds`     | `op rd, rs`           | A, B      |
 * | `dss`    | `op rd, rs, rt`       | A, B, C   |
 * | `di`     | `op rd, imm`          | A, imm    |
 * | `dsi`    | `op rd, rs, imm`      | A, B, imm |
 * | `i`      | `op imm`              | imm       |
 * | `ss`     | `op rs, rt`           | B, C      |
 * | `is`     | `op imm, rt`          | C, imm    |
 * | `ssi`    | `op rs, rt, imm`      | B, C, imm |
 * | `load`   | `op rd, [rs+imm]`     | A, B, imm |
 * | `store`  | `op [rs+imm], rt`     | B, C, imm |
 */
export type Ut32Form = 'none' | 'd' | 's' | 'dd' | 'ds' | 'dss' | 'di' | 'dsi' | 'i' | 'ss' | 'is' | 'ssi' | 'load' | 'store';

/** One instruction of the table: its opcode byte, mnemonic, operand form and one line of what it does. */
export interface Ut32OpInfo {
  readonly opcode: number;
  readonly mnemonic: string;
  readonly form: Ut32Form;
  readonly summary: string;
}

/** Opcode bytes. 0x00 is no instruction, so running zeroed RAM faults at once. */
export const UT32 = {
  NOP: 0x01,
  HALT: 0x02,
  HALTI: 0x03,
  RDTSC: 0x04,

  LI: 0x10,
  MOV: 0x11,
  ADD: 0x12,
  SUB: 0x13,
  MUL: 0x14,
  DIVU: 0x15,
  REMU: 0x16,
  AND: 0x17,
  OR: 0x18,
  XOR: 0x19,
  SHL: 0x1a,
  SHR: 0x1b,
  SAR: 0x1c,
  NOT: 0x1d,
  NEG: 0x1e,
  SLT: 0x1f,
  SLTU: 0x20,
  ADDI: 0x21,
  ANDI: 0x22,
  ORI: 0x23,
  XORI: 0x24,
  SHLI: 0x25,
  SHRI: 0x26,
  SARI: 0x27,

  LD8: 0x30,
  LD16: 0x31,
  LD32: 0x32,
  LD8S: 0x33,
  LD16S: 0x34,
  ST8: 0x38,
  ST16: 0x39,
  ST32: 0x3a,

  JMP: 0x40,
  JMPR: 0x41,
  CALL: 0x42,
  CALLR: 0x43,
  RET: 0x44,
  PUSH: 0x45,
  POP: 0x46,
  BEQ: 0x48,
  BNE: 0x49,
  BLT: 0x4a,
  BGE: 0x4b,
  BLTU: 0x4c,
  BGEU: 0x4d,

  IN8: 0x50,
  IN16: 0x51,
  IN32: 0x52,
  OUT8: 0x53,
  OUT16: 0x54,
  OUT32: 0x55,
  IN8I: 0x58,
  IN16I: 0x59,
  IN32I: 0x5a,
  OUT8I: 0x5b,
  OUT16I: 0x5c,
  OUT32I: 0x5d,

  MMRD8: 0x60,
  MMRD16: 0x61,
  MMRD32: 0x62,
  MMWR8: 0x63,
  MMWR16: 0x64,
  MMWR32: 0x65,
} as const;

const op = (opcode: number, mnemonic: string, form: Ut32Form, summary: string): Ut32OpInfo =>
  Object.freeze({ opcode, mnemonic, form, summary });

/** Every instruction, in opcode order. The manual's table is this list; must not be mutated. */
export const UT32_OPS: readonly Ut32OpInfo[] = Object.freeze([
  op(UT32.NOP, 'nop', 'none', 'do nothing'),
  op(UT32.HALT, 'halt', 's', 'halt the vCPU with exit code rs'),
  op(UT32.HALTI, 'halti', 'i', 'halt the vCPU with exit code imm'),
  op(UT32.RDTSC, 'rdtsc', 'dd', 'rd = low 32 bits, rd2 = high 32 bits of the guest clock (no exit)'),

  op(UT32.LI, 'li', 'di', 'rd = imm'),
  op(UT32.MOV, 'mov', 'ds', 'rd = rs'),
  op(UT32.ADD, 'add', 'dss', 'rd = rs + rt (mod 2^32)'),
  op(UT32.SUB, 'sub', 'dss', 'rd = rs - rt (mod 2^32)'),
  op(UT32.MUL, 'mul', 'dss', 'rd = low 32 bits of rs * rt'),
  op(UT32.DIVU, 'divu', 'dss', 'rd = rs / rt, unsigned; rt = 0 faults'),
  op(UT32.REMU, 'remu', 'dss', 'rd = rs % rt, unsigned; rt = 0 faults'),
  op(UT32.AND, 'and', 'dss', 'rd = rs & rt'),
  op(UT32.OR, 'or', 'dss', 'rd = rs | rt'),
  op(UT32.XOR, 'xor', 'dss', 'rd = rs ^ rt'),
  op(UT32.SHL, 'shl', 'dss', 'rd = rs << (rt & 31)'),
  op(UT32.SHR, 'shr', 'dss', 'rd = rs >> (rt & 31), logical'),
  op(UT32.SAR, 'sar', 'dss', 'rd = rs >> (rt & 31), arithmetic'),
  op(UT32.NOT, 'not', 'ds', 'rd = ~rs'),
  op(UT32.NEG, 'neg', 'ds', 'rd = -rs (mod 2^32)'),
  op(UT32.SLT, 'slt', 'dss', 'rd = 1 if rs < rt (signed), else 0'),
  op(UT32.SLTU, 'sltu', 'dss', 'rd = 1 if rs < rt (unsigned), else 0'),
  op(UT32.ADDI, 'addi', 'dsi', 'rd = rs + imm (mod 2^32)'),
  op(UT32.ANDI, 'andi', 'dsi', 'rd = rs & imm'),
  op(UT32.ORI, 'ori', 'dsi', 'rd = rs | imm'),
  op(UT32.XORI, 'xori', 'dsi', 'rd = rs ^ imm'),
  op(UT32.SHLI, 'shli', 'dsi', 'rd = rs << (imm & 31)'),
  op(UT32.SHRI, 'shri', 'dsi', 'rd = rs >> (imm & 31), logical'),
  op(UT32.SARI, 'sari', 'dsi', 'rd = rs >> (imm & 31), arithmetic'),

  op(UT32.LD8, 'ld8', 'load', 'rd = RAM byte at rs + imm, zero-extended'),
  op(UT32.LD16, 'ld16', 'load', 'rd = RAM u16 (little-endian) at rs + imm'),
  op(UT32.LD32, 'ld32', 'load', 'rd = RAM u32 (little-endian) at rs + imm'),
  op(UT32.LD8S, 'ld8s', 'load', 'rd = RAM byte at rs + imm, sign-extended'),
  op(UT32.LD16S, 'ld16s', 'load', 'rd = RAM i16 at rs + imm, sign-extended'),
  op(UT32.ST8, 'st8', 'store', 'RAM byte at rs + imm = low 8 bits of rt'),
  op(UT32.ST16, 'st16', 'store', 'RAM u16 at rs + imm = low 16 bits of rt'),
  op(UT32.ST32, 'st32', 'store', 'RAM u32 at rs + imm = rt'),

  op(UT32.JMP, 'jmp', 'i', 'pc = imm'),
  op(UT32.JMPR, 'jmpr', 's', 'pc = rs'),
  op(UT32.CALL, 'call', 'i', 'push pc + 8; pc = imm'),
  op(UT32.CALLR, 'callr', 's', 'push pc + 8; pc = rs'),
  op(UT32.RET, 'ret', 'none', 'pop pc'),
  op(UT32.PUSH, 'push', 's', 'sp -= 4; RAM u32 at sp = rs'),
  op(UT32.POP, 'pop', 'd', 'rd = RAM u32 at sp; sp += 4'),
  op(UT32.BEQ, 'beq', 'ssi', 'if rs == rt: pc = imm'),
  op(UT32.BNE, 'bne', 'ssi', 'if rs != rt: pc = imm'),
  op(UT32.BLT, 'blt', 'ssi', 'if rs < rt (signed): pc = imm'),
  op(UT32.BGE, 'bge', 'ssi', 'if rs >= rt (signed): pc = imm'),
  op(UT32.BLTU, 'bltu', 'ssi', 'if rs < rt (unsigned): pc = imm'),
  op(UT32.BGEU, 'bgeu', 'ssi', 'if rs >= rt (unsigned): pc = imm'),

  op(UT32.IN8, 'in8', 'ds', 'rd = 8-bit port input from port rs (exit)'),
  op(UT32.IN16, 'in16', 'ds', 'rd = 16-bit port input from port rs (exit)'),
  op(UT32.IN32, 'in32', 'ds', 'rd = 32-bit port input from port rs (exit)'),
  op(UT32.OUT8, 'out8', 'ss', 'port rs = low 8 bits of rt (exit)'),
  op(UT32.OUT16, 'out16', 'ss', 'port rs = low 16 bits of rt (exit)'),
  op(UT32.OUT32, 'out32', 'ss', 'port rs = rt (exit)'),
  op(UT32.IN8I, 'in8i', 'di', 'rd = 8-bit port input from port imm (exit)'),
  op(UT32.IN16I, 'in16i', 'di', 'rd = 16-bit port input from port imm (exit)'),
  op(UT32.IN32I, 'in32i', 'di', 'rd = 32-bit port input from port imm (exit)'),
  op(UT32.OUT8I, 'out8i', 'is', 'port imm = low 8 bits of rt (exit)'),
  op(UT32.OUT16I, 'out16i', 'is', 'port imm = low 16 bits of rt (exit)'),
  op(UT32.OUT32I, 'out32i', 'is', 'port imm = rt (exit)'),

  op(UT32.MMRD8, 'mmrd8', 'load', 'rd = 8-bit MMIO read at rs + imm (exit)'),
  op(UT32.MMRD16, 'mmrd16', 'load', 'rd = 16-bit MMIO read at rs + imm (exit)'),
  op(UT32.MMRD32, 'mmrd32', 'load', 'rd = 32-bit MMIO read at rs + imm (exit)'),
  op(UT32.MMWR8, 'mmwr8', 'store', '8-bit MMIO write of rt at rs + imm (exit)'),
  op(UT32.MMWR16, 'mmwr16', 'store', '16-bit MMIO write of rt at rs + imm (exit)'),
  op(UT32.MMWR32, 'mmwr32', 'store', '32-bit MMIO write of rt at rs + imm (exit)'),
]);

/** The table entry of an opcode byte, or undefined for a byte that is no instruction. */
export function ut32OpInfo(opcode: number): Ut32OpInfo | undefined {
  return BY_OPCODE[opcode & 0xff];
}

const BY_OPCODE: readonly (Ut32OpInfo | undefined)[] = (() => {
  const table: (Ut32OpInfo | undefined)[] = new Array<Ut32OpInfo | undefined>(256).fill(undefined);
  for (const info of UT32_OPS) table[info.opcode] = info;
  return table;
})();
