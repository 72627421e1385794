// Guest: MMIO reads and writes of 1, 2, 4 and 8 bytes, unassigned and invalid addresses, a 32-bit-only register.
import type { Cpu } from '@unitrace/core';
import { Out, REC } from './layout.js';

function caught(fn: () => unknown, type: new (...a: never[]) => Error): number {
  try {
    fn();
    return 0;
  } catch (err) {
    return err instanceof type ? 1 : 2;
  }
}

export default function mmio(cpu: Cpu): void {
  const out = new Out(cpu);
  const M = REC.MMIO_BASE;
  cpu.mmioWrite(M, 4, 0xdeadbeef);
  out.push(cpu.mmioRead(M, 1));
  out.push(cpu.mmioRead(M + 2, 2));
  cpu.mmioWrite64(M + 8, 0x0123456789abcdefn);
  out.push64(cpu.mmioRead64(M + 8));
  out.push(cpu.mmioRead(M + 12, 4));
  cpu.mmioWrite(M + 16, 2, 0x12345);
  out.push(cpu.mmioRead(M + 16, 4));
  cpu.mmioWrite64(M + 24, -1n);
  out.push64(cpu.mmioRead64(M + 24));
  out.push(cpu.mmioRead(REC.MMIO_UNASSIGNED, 4));
  out.push(cpu.mmioRead(REC.MMIO_UNASSIGNED, 1));
  out.push64(cpu.mmioRead64(REC.MMIO_UNASSIGNED));
  cpu.mmioWrite(REC.MMIO_UNASSIGNED, 4, 1);
  out.push(cpu.mmioRead(REC.MMIO_NARROW, 4));
  out.push(cpu.mmioRead(REC.MMIO_NARROW, 2));
  out.push64(cpu.mmioRead64(REC.MMIO_NARROW));
  cpu.mmioWrite64(REC.MMIO_HIGH, 0xfeed_0000_beefn);
  out.push64(cpu.mmioRead64(REC.MMIO_HIGH));
  out.push(cpu.mmioRead(REC.MMIO_HIGH + 4, 4));
  out.push(cpu.mmioRead(REC.MMIO_HIGH + 6, 2));
  out.push(cpu.mmioRead(Number.NaN, 4));
  out.push(cpu.mmioRead(-4, 4));
  out.push(cpu.mmioRead(2 ** 53, 4));
  out.push(cpu.mmioRead(M + 0.5, 1));
  out.push(caught(() => cpu.mmioRead(M, 3 as 4), RangeError));
  out.push(caught(() => cpu.mmioWrite64(M, 5 as unknown as bigint), TypeError));
  out.push(cpu.exits);
}
