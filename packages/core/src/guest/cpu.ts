// The CPU interface: all a guest program sees of its machine. Shared by the emulator (which implements it) and the
// firmware SDK (which runs on it), so neither imports the other.

/**
 * What guest code can do: port I/O and MMIO (each access is a VM exit to the device model), direct access to guest
 * RAM (no exit), the guest clock (no exit) and halt. Guest code must never reach the host any other way.
 */
export interface Cpu {
  /** Port input of 8, 16 or 32 bits. Unmapped ports read as all ones. */
  inb(port: number): number;
  inw(port: number): number;
  inl(port: number): number;
  /** Port output of 8, 16 or 32 bits (little-endian, as x86 `out`). Unmapped ports ignore writes. */
  outb(port: number, value: number): void;
  outw(port: number, value: number): void;
  outl(port: number, value: number): void;
  /** MMIO read of 1, 2 or 4 bytes at a guest-physical address; unmapped addresses read as all ones. */
  mmioRead(addr: number, size: 1 | 2 | 4): number;
  /** MMIO read of 8 bytes (a 64-bit load). */
  mmioRead64(addr: number): bigint;
  /** MMIO write of 1, 2 or 4 bytes; values are the CPU's (little-endian) view, devices swap as they declare. */
  mmioWrite(addr: number, size: 1 | 2 | 4, value: number): void;
  /** MMIO write of 8 bytes (a 64-bit store). */
  mmioWrite64(addr: number, value: bigint): void;
  /** Guest RAM, guest-physical address 0 upward. Reads and writes here cause no exit. */
  readonly ram: Uint8Array;
  /** A little-endian view of the same RAM. */
  readonly ramView: DataView;
  /** The guest clock (a TSC-like counter) in ticks; no exit. */
  rdtsc(): number;
  /** Ticks per second of `rdtsc`. */
  readonly tscHz: number;
  /** Stops this vCPU for good: the machine reports the guest halted. Does not return. */
  halt(code?: number): never;
  /**
   * Hands this vCPU to UT32 machine code in guest RAM at guest-physical `entry` (a loaded kernel): it runs until it
   * halts, which halts the vCPU with its code. Registers start at 0, sp (r15) at the end of RAM; port and MMIO
   * instructions are exits exactly like the methods above. A fault (bad opcode, access outside RAM) throws an Error
   * named `Ut32Fault` into the caller, which ends the guest with that error unless caught. Does not return.
   */
  jump(entry: number): never;
  /** Number of VM exits this vCPU has taken (for measurements). */
  readonly exits: number;
}

/** A guest program: the code a vCPU runs. Its module's default export. */
export type GuestMain = (cpu: Cpu, args: Readonly<Record<string, unknown>>) => void;
