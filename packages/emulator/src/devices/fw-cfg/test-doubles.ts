// Test doubles for fw_cfg tests: a bus that dispatches like the real ones and a Uint8Array guest RAM. Not shipped.
import type { Device, DeviceContext } from '../device.js';
import type { AccessHandlers, AccessSize, Bus } from '../../io/handlers.js';
import type { GuestMemory } from '../../memory/guest-memory.js';

interface Claim {
  readonly base: number;
  readonly length: number;
  readonly owner: string;
  readonly handlers: AccessHandlers;
}

/** A bus of claimed ranges: an access goes to the range holding its first address, if the width and extent fit. */
export class BusDouble implements Bus {
  readonly claims: Claim[] = [];

  register(base: number, length: number, owner: string, handlers: AccessHandlers): void {
    for (const c of this.claims) {
      if (base < c.base + c.length && c.base < base + length) throw new Error(`overlap at ${base}`);
    }
    this.claims.push({ base, length, owner, handlers });
  }

  /** A read of `size` bytes; unclaimed, refused widths and overlong accesses read as all ones. */
  read(addr: number, size: AccessSize): number | bigint {
    const c = this.#accepting(addr, size);
    if (!c?.handlers.read) return size === 8 ? 0xffff_ffff_ffff_ffffn : 2 ** (8 * size) - 1;
    return c.handlers.read(addr - c.base, size);
  }

  /** A write of `size` bytes (numbers for ≤ 4 bytes, bigints for 8); refused ones are dropped. */
  write(addr: number, size: AccessSize, value: number | bigint): void {
    const c = this.#accepting(addr, size);
    c?.handlers.write?.(addr - c.base, size, value);
  }

  #accepting(addr: number, size: AccessSize): Claim | undefined {
    const c = this.claims.find((r) => addr >= r.base && addr < r.base + r.length);
    if (!c || !c.handlers.sizes.includes(size) || addr - c.base + size > c.length) return undefined;
    return c;
  }
}

/** Guest RAM as a plain Uint8Array, with GuestMemory's all-or-nothing range checks. */
export class MemoryDouble implements GuestMemory {
  readonly bytes: Uint8Array;
  readonly size: number;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.size = size;
  }

  valid(addr: number | bigint, length: number): boolean {
    return this.#start(addr, length) >= 0;
  }

  read(addr: number | bigint, length: number, into?: Uint8Array): Uint8Array | undefined {
    const s = this.#start(addr, length);
    if (s < 0 || (into && into.length < length)) return undefined;
    const out = into ?? new Uint8Array(length);
    out.set(this.bytes.subarray(s, s + length));
    return out;
  }

  write(addr: number | bigint, data: Uint8Array): boolean {
    const s = this.#start(addr, data.length);
    if (s < 0) return false;
    this.bytes.set(data, s);
    return true;
  }

  fill(addr: number | bigint, length: number, value = 0): boolean {
    const s = this.#start(addr, length);
    if (s < 0) return false;
    this.bytes.fill(value, s, s + length);
    return true;
  }

  #start(addr: number | bigint, length: number): number {
    if (!Number.isSafeInteger(length) || length < 0) return -1;
    if (typeof addr === 'number' && !Number.isSafeInteger(addr)) return -1;
    const a = BigInt(addr);
    return a >= 0n && a + BigInt(length) <= BigInt(this.size) ? Number(a) : -1;
  }
}

/** A device attached to fresh doubles. */
export interface Attached {
  readonly io: BusDouble;
  readonly mmio: BusDouble;
  readonly memory: MemoryDouble;
}

/** Attaches `device` to new doubles with `ramSize` bytes of RAM. */
export function attachToDoubles(device: Device, ramSize = 0x10000): Attached {
  const env = { io: new BusDouble(), mmio: new BusDouble(), memory: new MemoryDouble(ramSize) };
  // The doubles have no machine: no tracepoints to adopt, no tracer, clock or board.
  const ctx = { ...env, trace: {}, tracer: undefined, clock: undefined, board: undefined } as unknown as DeviceContext;
  device.attach(ctx);
  return env;
}

/** What a driver needs of a bus: the access methods every bus (double or real) has. */
export interface AccessPort {
  read(addr: number, size: AccessSize): number | bigint;
  write(addr: number, size: AccessSize, value: number | bigint): void;
}

/** Byte-swaps for the driver, written out independently of the device's helpers. */
const swap16 = (v: number): number => ((v & 0xff) << 8) | (v >> 8);
const swap32 = (v: number): number => {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, v >>> 0, true);
  return view.getUint32(0, false);
};

/** A DMA descriptor, as firmware fills it. */
export interface Descriptor {
  readonly control: number;
  readonly length: number;
  readonly address: bigint | number;
}

/**
 * Guest-side fw_cfg access, written the way firmware (SeaBIOS, EDK2, Linux) drives the registers: `outw` of the key,
 * `inb` of the data port, descriptor in RAM, `outl` of the byte-swapped address halves; on MMIO the big-endian
 * registers with `iowrite16be`/`iowrite32be`.
 */
export class FwCfgDriver {
  readonly #bus: AccessPort;
  readonly #mmio: boolean;
  readonly #base: number;
  readonly #ram: Uint8Array;

  constructor(bus: AccessPort, variant: 'io' | 'mmio', base: number, ram: Uint8Array) {
    this.#bus = bus;
    this.#mmio = variant === 'mmio';
    this.#base = base;
    this.#ram = ram;
  }

  get dmaBase(): number {
    return this.#base + (this.#mmio ? 16 : 4);
  }

  select(key: number): void {
    if (this.#mmio) this.#bus.write(this.#base + 8, 2, swap16(key));
    else this.#bus.write(this.#base, 2, key);
  }

  /** `n` data bytes, one 8-bit read each (at 0x511 on ports). */
  read(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Number(this.#bus.read(this.#mmio ? this.#base : this.#base + 1, 1)));
    return out;
  }

  /** One data read of `size` bytes as the CPU gets it. */
  readWide(size: AccessSize): number | bigint {
    return this.#bus.read(this.#base, size);
  }

  /** Writes a descriptor at `at` in RAM, big-endian. */
  putDescriptor(at: number, d: Descriptor): void {
    const v = new DataView(this.#ram.buffer, this.#ram.byteOffset);
    v.setUint32(at, d.control >>> 0, false);
    v.setUint32(at + 4, d.length >>> 0, false);
    v.setBigUint64(at + 8, BigInt(d.address), false);
  }

  /** The descriptor at `at`, as the device left it. */
  descriptor(at: number): { control: number; length: number; address: bigint } {
    const v = new DataView(this.#ram.buffer, this.#ram.byteOffset);
    return { control: v.getUint32(at, false), length: v.getUint32(at + 4, false), address: v.getBigUint64(at + 8, false) };
  }

  /** Starts a transfer at `desc` with the two 32-bit halves (high, then low) or one 64-bit write. */
  kick(desc: bigint | number, how: 'halves' | '64' = 'halves'): void {
    const a = BigInt(desc);
    if (how === '64') {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, a, false);
      this.#bus.write(this.dmaBase, 8, new DataView(bytes.buffer).getBigUint64(0, true));
      return;
    }
    this.#bus.write(this.dmaBase, 4, swap32(Number(a >> 32n)));
    this.#bus.write(this.dmaBase + 4, 4, swap32(Number(a & 0xffffffffn)));
  }

  /** Writes a descriptor at `at`, kicks it, returns the control word the device stored. */
  dma(at: number, d: Descriptor, how: 'halves' | '64' = 'halves'): number {
    this.putDescriptor(at, d);
    this.kick(at, how);
    return this.descriptor(at).control;
  }
}
