// What both vCPU flavours share: the Cpu surface, operand normalisation, halt, the exit counter, rdtsc and UT32 jumps.
import type { Cpu } from '@unitrace/core';
import type { GuestClock } from '../guest-clock.js';
import { runUt32 } from './isa/interpreter.js';

/** Thrown by `halt()` to unwind the guest; not an Error, so no stack is captured. */
export class HaltSignal {
  /** The code given to halt(). */
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

/** Thrown at a vCPU's next exit once the machine has quit (in-thread vCPUs; workers are terminated). */
export class QuitSignal {}

/**
 * The Cpu a guest program sees. Operands are normalised here, identically in both modes, so a guest gets the same
 * results in-thread and on a worker: ports are the low 16 bits (as DX), port values are truncated to the width,
 * MMIO values of up to 4 bytes to 32 bits; an MMIO width other than 1, 2 or 4 throws a RangeError into the guest
 * (no CPU has such a load), and a 64-bit MMIO value that is not a bigint throws a TypeError into the guest.
 * Addresses are passed on as given: the bus decides (anything but an integer in [0, 2^53) is unassigned).
 */
export abstract class CpuBase implements Cpu {
  /** Guest RAM (shared); no exit. */
  readonly ram: Uint8Array;
  /** A DataView of the same RAM. */
  readonly ramView: DataView;
  /** Ticks per second of rdtsc. */
  readonly tscHz: number;
  /** The code given to halt(), once the guest halted. */
  haltCode: number | undefined;
  #exits = 0;
  readonly #clock: GuestClock;

  constructor(ram: SharedArrayBuffer, clock: GuestClock) {
    this.ram = new Uint8Array(ram);
    this.ramView = new DataView(ram);
    this.#clock = clock;
    this.tscHz = clock.hz;
  }

  get exits(): number {
    return this.#exits;
  }

  /** One port input exit. */
  protected abstract portIn(port: number, size: 1 | 2 | 4): number;
  /** One port output exit. */
  protected abstract portOut(port: number, size: 1 | 2 | 4, value: number): void;
  /** One MMIO read exit: a number for 1, 2 or 4 bytes, a bigint for 8. */
  protected abstract mmioIn(addr: number, size: 1 | 2 | 4 | 8): number | bigint;
  /** One MMIO write exit. */
  protected abstract mmioOut(addr: number, size: 1 | 2 | 4 | 8, value: number | bigint): void;

  inb(port: number): number {
    this.#enter();
    return this.portIn(port & 0xffff, 1);
  }

  inw(port: number): number {
    this.#enter();
    return this.portIn(port & 0xffff, 2);
  }

  inl(port: number): number {
    this.#enter();
    return this.portIn(port & 0xffff, 4);
  }

  outb(port: number, value: number): void {
    this.#enter();
    this.portOut(port & 0xffff, 1, value & 0xff);
  }

  outw(port: number, value: number): void {
    this.#enter();
    this.portOut(port & 0xffff, 2, value & 0xffff);
  }

  outl(port: number, value: number): void {
    this.#enter();
    this.portOut(port & 0xffff, 4, value >>> 0);
  }

  mmioRead(addr: number, size: 1 | 2 | 4): number {
    checkSize(size);
    this.#enter();
    return this.mmioIn(Number(addr), size) as number;
  }

  mmioRead64(addr: number): bigint {
    this.#enter();
    return this.mmioIn(Number(addr), 8) as bigint;
  }

  mmioWrite(addr: number, size: 1 | 2 | 4, value: number): void {
    checkSize(size);
    const v = value >>> 0;
    this.#enter();
    this.mmioOut(Number(addr), size, v);
  }

  mmioWrite64(addr: number, value: bigint): void {
    if (typeof value !== 'bigint') throw new TypeError('mmioWrite64 needs a bigint value');
    const v = BigInt.asUintN(64, value);
    this.#enter();
    this.mmioOut(Number(addr), 8, v);
  }

  rdtsc(): number {
    return this.#clock.ticks();
  }

  halt(code = 0): never {
    this.haltCode ??= Number(code) | 0;
    throw new HaltSignal(this.haltCode);
  }

  jump(entry: number): never {
    if (this.haltCode !== undefined) throw new HaltSignal(this.haltCode);
    return this.halt(runUt32(this, entry));
  }

  /** Counts an exit; a halted vCPU takes no more (a guest that caught the halt signal is stopped again). */
  #enter(): void {
    if (this.haltCode !== undefined) throw new HaltSignal(this.haltCode);
    this.#exits++;
  }
}

function checkSize(size: number): void {
  if (size !== 1 && size !== 2 && size !== 4) {
    throw new RangeError(`MMIO access width must be 1, 2 or 4 bytes, got ${String(size)}`);
  }
}
