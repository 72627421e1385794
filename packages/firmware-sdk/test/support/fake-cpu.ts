// Test double: a Cpu with RAM and a deterministic clock; every port or MMIO access is logged as one exit.
import type { Cpu } from '@unitrace/core';

/** A Cpu whose rdtsc returns `start`, `start + step`, …; unmapped I/O reads all ones, as a machine's buses do. */
export class FakeCpu implements Cpu {
  readonly ram: Uint8Array;
  readonly ramView: DataView;
  readonly tscHz = 1_000_000_000;
  readonly io: string[] = [];
  #exits = 0;
  #now: number;
  readonly #step: number;

  constructor(ramBytes: number = 1 << 16, start: number = 1000, step: number = 7) {
    this.ram = new Uint8Array(ramBytes);
    this.ramView = new DataView(this.ram.buffer);
    this.#now = start;
    this.#step = step;
  }
  get exits(): number {
    return this.#exits;
  }
  rdtsc(): number {
    const t = this.#now;
    this.#now += this.#step;
    return t;
  }
  #exit(what: string): void {
    this.#exits++;
    this.io.push(what);
  }
  inb(port: number): number {
    this.#exit(`inb ${port}`);
    return 0xff;
  }
  inw(port: number): number {
    this.#exit(`inw ${port}`);
    return 0xffff;
  }
  inl(port: number): number {
    this.#exit(`inl ${port}`);
    return 0xffff_ffff;
  }
  outb(port: number): void {
    this.#exit(`outb ${port}`);
  }
  outw(port: number): void {
    this.#exit(`outw ${port}`);
  }
  outl(port: number): void {
    this.#exit(`outl ${port}`);
  }
  mmioRead(addr: number): number {
    this.#exit(`mmioRead ${addr}`);
    return 0xffff_ffff;
  }
  mmioRead64(addr: number): bigint {
    this.#exit(`mmioRead64 ${addr}`);
    return 0xffff_ffff_ffff_ffffn;
  }
  mmioWrite(addr: number): void {
    this.#exit(`mmioWrite ${addr}`);
  }
  mmioWrite64(addr: number): void {
    this.#exit(`mmioWrite64 ${addr}`);
  }
  halt(code = 0): never {
    throw new Error(`halt ${code}`);
  }
  jump(entry: number): never {
    throw new Error(`no machine code at ${entry}`);
  }
}
