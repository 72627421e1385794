// Guest: reads the guest clock around one exit whose host time the recorder stamps.
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function rdtsc(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  const at = args.at as number;
  const rounds = (args.rounds as number | undefined) ?? 1;
  for (let i = 0; i < rounds; i++) {
    const before = cpu.rdtsc();
    cpu.outb(REC.STAMP_PORT, 0);
    const after = cpu.rdtsc();
    cpu.ramView.setFloat64(at + 16 * i, before, true);
    cpu.ramView.setFloat64(at + 16 * i + 8, after, true);
  }
  cpu.ramView.setFloat64(at - 8, cpu.tscHz, true);
}
