// Guest: rings the doorbell args.count times (forever without a count), optionally reading the count back.
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function loop(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  const count = (args.count as number | undefined) ?? Infinity;
  for (let i = 0; i < count; i++) cpu.outb(REC.DOORBELL_PORT, i);
}
