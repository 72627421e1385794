// Guest: writes a marker to RAM before its first exit (so a test can tell whether it ran at all), then rings once.
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function marker(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  cpu.ramView.setUint32(args.at as number, 0x600dcafe, true);
  cpu.outb(REC.DOORBELL_PORT, 1);
}
