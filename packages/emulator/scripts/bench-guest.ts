// Bench guest: args.count exits of args.op ('out' or 'in') on port 0x80; stores the elapsed guest ticks at 0x100.
import type { Cpu } from '@unitrace/core';

export default function benchGuest(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  const count = args.count as number;
  const t0 = cpu.rdtsc();
  if (args.op === 'in') for (let i = 0; i < count; i++) cpu.inb(0x80);
  else for (let i = 0; i < count; i++) cpu.outb(0x80, i);
  cpu.ramView.setFloat64(0x100, cpu.rdtsc() - t0, true);
}
