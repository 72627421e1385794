// Guest: rings once, halts with args.code, catches the halt and tries to go on (it must not get another exit).
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function halt(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  cpu.outb(REC.DOORBELL_PORT, 1);
  try {
    cpu.halt(args.code as number);
  } catch {
    // A misbehaving guest swallows the halt.
  }
  try {
    cpu.outb(REC.DOORBELL_PORT, 2);
  } catch {
    // Still halted.
  }
}
