// Guest: leaves an interval running behind it and returns; its vCPU must still end.
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function linger(cpu: Cpu): void {
  cpu.outb(REC.DOORBELL_PORT, 1);
  setInterval(() => {}, 1000);
}
