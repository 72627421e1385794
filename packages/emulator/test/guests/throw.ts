// Guest: rings once, then throws what args.kind says.
import type { Cpu } from '@unitrace/core';
import { REC } from './layout.js';

export default function thrower(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  cpu.outb(REC.DOORBELL_PORT, 1);
  if (args.kind === 'string') throw 'plain string';
  if (args.kind === 'hostile') {
    throw Object.defineProperty({}, 'message', {
      get() {
        throw new Error('gotcha');
      },
    });
  }
  throw new RangeError(`guest bug ${String(args.tag)}`);
}
