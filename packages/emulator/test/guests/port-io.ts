// Guest: port input and output of every width on the recorder, unassigned ports, a byte-only port, DX masking.
import type { Cpu } from '@unitrace/core';
import { Out, REC } from './layout.js';

export default function portIo(cpu: Cpu): void {
  const out = new Out(cpu);
  const B = REC.IO_BASE;
  cpu.outl(B, 0x11223344);
  out.push(cpu.inb(B));
  out.push(cpu.inb(B + 3));
  out.push(cpu.inw(B + 1));
  out.push(cpu.inl(B));
  cpu.outw(B + 4, 0x1beef);
  out.push(cpu.inl(B + 4));
  cpu.outb(B + 8, 0x1ff);
  out.push(cpu.inb(B + 8));
  cpu.outl(B + 12, 0xa1b2c3d4);
  out.push(cpu.inw(B + 14));
  cpu.outl(B + 14, 0);
  out.push(cpu.inl(B + 14));
  out.push(cpu.inw(B + 14));
  out.push(cpu.inb(REC.UNASSIGNED_PORT));
  out.push(cpu.inw(REC.UNASSIGNED_PORT));
  out.push(cpu.inl(REC.UNASSIGNED_PORT));
  cpu.outb(REC.UNASSIGNED_PORT, 1);
  out.push(cpu.inb(REC.NARROW_PORT));
  out.push(cpu.inw(REC.NARROW_PORT));
  out.push(cpu.inl(REC.NARROW_PORT));
  cpu.outw(REC.NARROW_PORT, 7);
  out.push(cpu.inb(0x10000 + B));
  out.push(cpu.exits);
}
