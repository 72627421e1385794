// The UT32 interpreter: runs bytecode from guest RAM on a vCPU until it halts. Port and MMIO instructions are
// exits through the vCPU's own Cpu methods, so UT32 code reaches devices exactly as a TypeScript guest does.
import type { Cpu } from '@unitrace/core';
import { Ut32Fault, hex } from './fault.js';
import { UT32, UT32_INSTRUCTION_BYTES, UT32_REGISTER_COUNT, UT32_SP } from './opcodes.js';

/**
 * Runs UT32 code at guest-physical `entry` until a HALT and returns its exit code. Registers start at 0 and sp at
 * the end of RAM (the stack grows down). Throws Ut32Fault for a fault (fetch outside RAM, unknown opcode, non-zero
 * reserved bits, a load or store outside RAM, division by zero); whatever an exit throws (halt, quit) passes through
 * untouched. Allocates nothing per instruction. Must not be given a Cpu whose `ram` is not the whole guest RAM.
 */
export function runUt32(cpu: Cpu, entry: number): number {
  if (!Number.isInteger(entry) || entry < 0 || entry > 0xffff_ffff) {
    throw new Ut32Fault('entry', 0, `entry point ${String(entry)} is not a 32-bit guest-physical address`);
  }
  const ram = cpu.ram;
  const view = cpu.ramView;
  const size = ram.length;
  const lastFetch = size - UT32_INSTRUCTION_BYTES;
  const r = new Int32Array(UT32_REGISTER_COUNT);
  r[UT32_SP] = size;
  let pc = entry;

  for (;;) {
    if (pc > lastFetch) throw new Ut32Fault('fetch', pc, `instruction fetch outside guest RAM (${hex(size)} bytes)`);
    const opcode = ram[pc];
    const b1 = ram[pc + 1];
    const b2 = ram[pc + 2];
    if (((b2 & 0x0f) | ram[pc + 3]) !== 0) {
      throw new Ut32Fault('encoding', pc, `reserved bits set in ${hex(view.getUint32(pc, false))} (opcode ${hexByte(opcode)})`);
    }
    const a = b1 >>> 4;
    const b = b1 & 0x0f;
    const c = b2 >>> 4;
    const imm = view.getInt32(pc + 4, true);
    const next = pc + UT32_INSTRUCTION_BYTES;
    switch (opcode) {
      case UT32.NOP:
        break;
      case UT32.HALT:
        return r[b];
      case UT32.HALTI:
        return imm;
      case UT32.RDTSC: {
        const t = cpu.rdtsc();
        r[a] = t >>> 0;
        r[b] = Math.floor(t / 4294967296);
        break;
      }

      case UT32.LI:
        r[a] = imm;
        break;
      case UT32.MOV:
        r[a] = r[b];
        break;
      case UT32.ADD:
        r[a] = r[b] + r[c];
        break;
      case UT32.SUB:
        r[a] = r[b] - r[c];
        break;
      case UT32.MUL:
        r[a] = Math.imul(r[b], r[c]);
        break;
      case UT32.DIVU:
      case UT32.REMU: {
        const d = r[c] >>> 0;
        if (d === 0) throw new Ut32Fault('divide', pc, 'division by zero');
        const n = r[b] >>> 0;
        r[a] = opcode === UT32.DIVU ? Math.floor(n / d) : n % d;
        break;
      }
      case UT32.AND:
        r[a] = r[b] & r[c];
        break;
      case UT32.OR:
        r[a] = r[b] | r[c];
        break;
      case UT32.XOR:
        r[a] = r[b] ^ r[c];
        break;
      case UT32.SHL:
        r[a] = r[b] << (r[c] & 31);
        break;
      case UT32.SHR:
        r[a] = r[b] >>> (r[c] & 31);
        break;
      case UT32.SAR:
        r[a] = r[b] >> (r[c] & 31);
        break;
      case UT32.NOT:
        r[a] = ~r[b];
        break;
      case UT32.NEG:
        r[a] = -r[b];
        break;
      case UT32.SLT:
        r[a] = r[b] < r[c] ? 1 : 0;
        break;
      case UT32.SLTU:
        r[a] = r[b] >>> 0 < r[c] >>> 0 ? 1 : 0;
        break;
      case UT32.ADDI:
        r[a] = r[b] + imm;
        break;
      case UT32.ANDI:
        r[a] = r[b] & imm;
        break;
      case UT32.ORI:
        r[a] = r[b] | imm;
        break;
      case UT32.XORI:
        r[a] = r[b] ^ imm;
        break;
      case UT32.SHLI:
        r[a] = r[b] << (imm & 31);
        break;
      case UT32.SHRI:
        r[a] = r[b] >>> (imm & 31);
        break;
      case UT32.SARI:
        r[a] = r[b] >> (imm & 31);
        break;

      case UT32.LD8:
        r[a] = ram[at(size, pc, r[b] + imm, 1, 'load')];
        break;
      case UT32.LD16:
        r[a] = view.getUint16(at(size, pc, r[b] + imm, 2, 'load'), true);
        break;
      case UT32.LD32:
        r[a] = view.getInt32(at(size, pc, r[b] + imm, 4, 'load'), true);
        break;
      case UT32.LD8S:
        r[a] = view.getInt8(at(size, pc, r[b] + imm, 1, 'load'));
        break;
      case UT32.LD16S:
        r[a] = view.getInt16(at(size, pc, r[b] + imm, 2, 'load'), true);
        break;
      case UT32.ST8:
        ram[at(size, pc, r[b] + imm, 1, 'store')] = r[c];
        break;
      case UT32.ST16:
        view.setUint16(at(size, pc, r[b] + imm, 2, 'store'), r[c] & 0xffff, true);
        break;
      case UT32.ST32:
        view.setInt32(at(size, pc, r[b] + imm, 4, 'store'), r[c], true);
        break;

      case UT32.JMP:
        pc = imm >>> 0;
        continue;
      case UT32.JMPR:
        pc = r[b] >>> 0;
        continue;
      case UT32.CALL:
      case UT32.CALLR: {
        const target = opcode === UT32.CALL ? imm >>> 0 : r[b] >>> 0;
        const sp = at(size, pc, r[UT32_SP] - 4, 4, 'stack push');
        view.setInt32(sp, next, true);
        r[UT32_SP] = sp;
        pc = target;
        continue;
      }
      case UT32.RET: {
        const sp = at(size, pc, r[UT32_SP], 4, 'stack pop');
        r[UT32_SP] = sp + 4;
        pc = view.getUint32(sp, true);
        continue;
      }
      case UT32.PUSH: {
        const value = r[b];
        const sp = at(size, pc, r[UT32_SP] - 4, 4, 'stack push');
        view.setInt32(sp, value, true);
        r[UT32_SP] = sp;
        break;
      }
      case UT32.POP: {
        const sp = at(size, pc, r[UT32_SP], 4, 'stack pop');
        r[UT32_SP] = sp + 4;
        r[a] = view.getInt32(sp, true);
        break;
      }
      case UT32.BEQ:
        if (r[b] === r[c]) {
          pc = imm >>> 0;
          continue;
        }
        break;
      case UT32.BNE:
        if (r[b] !== r[c]) {
          pc = imm >>> 0;
          continue;
        }
        break;
      case UT32.BLT:
        if (r[b] < r[c]) {
          pc = imm >>> 0;
          continue;
        }
        break;
      case UT32.BGE:
        if (r[b] >= r[c]) {
          pc = imm >>> 0;
          continue;
        }
        break;
      case UT32.BLTU:
        if (r[b] >>> 0 < r[c] >>> 0) {
          pc = imm >>> 0;
          continue;
        }
        break;
      case UT32.BGEU:
        if (r[b] >>> 0 >= r[c] >>> 0) {
          pc = imm >>> 0;
          continue;
        }
        break;

      case UT32.IN8:
        r[a] = cpu.inb(r[b]);
        break;
      case UT32.IN16:
        r[a] = cpu.inw(r[b]);
        break;
      case UT32.IN32:
        r[a] = cpu.inl(r[b]);
        break;
      case UT32.OUT8:
        cpu.outb(r[b], r[c]);
        break;
      case UT32.OUT16:
        cpu.outw(r[b], r[c]);
        break;
      case UT32.OUT32:
        cpu.outl(r[b], r[c]);
        break;
      case UT32.IN8I:
        r[a] = cpu.inb(imm);
        break;
      case UT32.IN16I:
        r[a] = cpu.inw(imm);
        break;
      case UT32.IN32I:
        r[a] = cpu.inl(imm);
        break;
      case UT32.OUT8I:
        cpu.outb(imm, r[c]);
        break;
      case UT32.OUT16I:
        cpu.outw(imm, r[c]);
        break;
      case UT32.OUT32I:
        cpu.outl(imm, r[c]);
        break;

      case UT32.MMRD8:
        r[a] = cpu.mmioRead((r[b] + imm) >>> 0, 1);
        break;
      case UT32.MMRD16:
        r[a] = cpu.mmioRead((r[b] + imm) >>> 0, 2);
        break;
      case UT32.MMRD32:
        r[a] = cpu.mmioRead((r[b] + imm) >>> 0, 4);
        break;
      case UT32.MMWR8:
        cpu.mmioWrite((r[b] + imm) >>> 0, 1, r[c] & 0xff);
        break;
      case UT32.MMWR16:
        cpu.mmioWrite((r[b] + imm) >>> 0, 2, r[c] & 0xffff);
        break;
      case UT32.MMWR32:
        cpu.mmioWrite((r[b] + imm) >>> 0, 4, r[c] >>> 0);
        break;

      default:
        throw new Ut32Fault('opcode', pc, `unknown opcode ${hexByte(opcode)}`);
    }
    pc = next;
  }
}

/** The address `base` (wrapped to 32 bits) if `bytes` bytes there are inside RAM; a memory fault otherwise. */
function at(size: number, pc: number, base: number, bytes: number, what: string): number {
  const addr = base >>> 0;
  if (addr > size - bytes) {
    throw new Ut32Fault('memory', pc, `${what} of ${bytes} bytes at ${hex(addr)} is outside guest RAM (${hex(size)} bytes)`);
  }
  return addr;
}

function hexByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
