// Guest: RAM shared with the host: read what the host put there, hand a buffer to a DMA device, read its answer.
import type { Cpu } from '@unitrace/core';
import { Out, REC } from './layout.js';

export default function ram(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  const out = new Out(cpu);
  const hostAt = args.hostAt as number;
  const buf = args.buf as number;
  out.push(cpu.ram.length);
  out.push(cpu.ramView.getUint32(hostAt, true));
  for (let i = 0; i < 16; i++) cpu.ram[buf + i] = i * 3 + 1;
  cpu.outl(REC.DMA_PORT, buf);
  out.push(cpu.ramView.getUint32(buf + 16, true));
  out.push(cpu.ramView.getUint32(buf + 28, true));
  cpu.ram[cpu.ram.length - 1] = 0x77;
}
