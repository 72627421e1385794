// Guest: rings once, then computes forever without another exit.
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function spin(cpu: Cpu): void {
  cpu.outb(REC.DOORBELL_PORT, 1);
  let x = 0;
  for (;;) x = (x + 1) | 0;
}
