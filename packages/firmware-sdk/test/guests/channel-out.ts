// What the channel test guests share: results as u32 words in guest RAM, flags to meet the host, and arguments.
import type { Cpu } from '@unitrace/core';
import type { ChannelState, RamRegion } from '@unitrace/firmware-sdk';

/** Status states as numbers: what a guest hands back to the test. */
export const STATE_CODES: Readonly<Record<ChannelState, number>> = {
  none: 0,
  accepted: 1,
  'accepted-by-name': 2,
  refused: 3,
  unavailable: 4,
};

/** Appends u32 results after a count word at `base` (the emulator tests read them back). */
export class GuestOut {
  readonly #cpu: Cpu;
  readonly #base: number;
  #n = 0;
  constructor(cpu: Cpu, base: number) {
    this.#cpu = cpu;
    this.#base = base;
    cpu.ramView.setUint32(base, 0, true);
  }
  push(value: number): void {
    this.#cpu.ramView.setUint32(this.#base + 4 + 4 * this.#n++, value >>> 0, true);
    this.#cpu.ramView.setUint32(this.#base, this.#n, true);
  }
  /** A string: its length, then one word per character (ASCII). */
  text(value: string): void {
    this.push(value.length);
    for (let i = 0; i < value.length; i++) this.push(value.charCodeAt(i));
  }
}

/** The numbers a test passes to a guest. */
export interface ChannelArgs {
  readonly out: number;
  readonly flags: number;
  readonly region: number;
  readonly regionBytes: number;
  readonly board?: 'pc' | 'virt' | 'auto';
}

/** Reads the arguments every channel guest gets. */
export function channelArgs(args: Readonly<Record<string, unknown>>): ChannelArgs {
  return args as unknown as ChannelArgs;
}

/** The tracer's RAM region from the arguments, with optional overrides. */
export function region(a: ChannelArgs, extra: Partial<RamRegion> = {}): RamRegion {
  return { base: a.region, bytes: a.regionBytes, batchBytes: 4096, ...extra };
}

/** Sets flag `i` (u32 words at `flags`) for the host. */
export function setFlag(cpu: Cpu, a: ChannelArgs, i: number, value: number): void {
  Atomics.store(new Int32Array(cpu.ram.buffer, a.flags, 8), i, value);
}

/** Waits until the host sets flag `i` to `value`, yielding between looks (works in-thread and on a worker). */
export async function waitFlag(cpu: Cpu, a: ChannelArgs, i: number, value: number): Promise<void> {
  const flags = new Int32Array(cpu.ram.buffer, a.flags, 8);
  while (Atomics.load(flags, i) !== value) await new Promise((resolve) => setTimeout(resolve, 1));
}
