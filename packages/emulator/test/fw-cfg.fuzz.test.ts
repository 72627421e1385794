// Fuzz: fw_cfg on a real machine (real port/MMIO buses, real guest RAM) under random selector, data, DMA and raw
// register accesses, checked step by step against a model written from spec §9 alone: every read value, the
// selection, offset and DMA latch, every byte of guest RAM and of the writable item. A guest can read and write only
// the RAM its descriptors name inside guest RAM and only the items it is given; the host never throws.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Tally, fuzzParameters } from '@unitrace/core/testing';
import { createFwCfg } from '../src/devices/fw-cfg/fw-cfg.js';
import { createMachine, type Machine } from '../src/machine.js';

const PKG = '@unitrace/emulator';
const RAM = 0x1000;
const U64 = (1n << 64n) - 1n;
const SIG = new TextEncoder().encode('QEMU');
const DMA_SIG = new TextEncoder().encode('QEMU CFG'); // §9.1: 0x51454D5520434647, big-endian byte order
const ITEM_A = Uint8Array.from({ length: 37 }, (_, i) => (i * 7 + 1) & 0xff);
const ITEM_CONFIG = new TextEncoder().encode('opt/unitrace/fw/config');
const ARCH = Uint8Array.of(1, 2, 3, 4, 5);
const FILES = [
  { name: 'opt/a', data: ITEM_A, writable: false },
  { name: 'opt/unitrace/fw/config', data: ITEM_CONFIG, writable: false },
  { name: 'opt/unitrace/fw/records', data: new Uint8Array(16), writable: true },
];

type Size = 1 | 2 | 4 | 8;
interface Item {
  data: Uint8Array;
  readonly writable: boolean;
}

/** fw_cfg as spec §9 describes it, on a byte array of RAM with GuestMemory's all-or-nothing range rule. */
class Model {
  selected = 0;
  offset = 0;
  high = 0n;
  readonly ram = new Uint8Array(RAM);
  readonly items = new Map<number, Item>();
  constructor(
    readonly mmio: boolean,
    readonly slots: number,
  ) {
    this.items.set(0, { data: SIG, writable: false });
    this.items.set(1, { data: Uint8Array.of(3, 0, 0, 0), writable: false }); // §9.3: traditional + DMA
    this.items.set(0x8002, { data: ARCH, writable: false });
    // §9.4: sorted by name, keys from 0x20, big-endian fields, 4 + 64 × slots bytes.
    const dir = new Uint8Array(4 + 64 * slots);
    const v = new DataView(dir.buffer);
    const sorted = [...FILES].sort((a, b) => (a.name < b.name ? -1 : 1));
    v.setUint32(0, sorted.length);
    sorted.forEach((f, i) => {
      v.setUint32(4 + 64 * i, f.data.length);
      v.setUint16(8 + 64 * i, 0x20 + i);
      dir.set(new TextEncoder().encode(f.name), 12 + 64 * i);
      this.items.set(0x20 + i, { data: f.data.slice(), writable: f.writable });
    });
    this.items.set(0x19, { data: dir, writable: false });
  }

  reset(): void {
    this.high = 0n;
    this.select(0);
  }

  select(key: number): void {
    this.offset = 0;
    this.selected = (key & 0x3fff) >= 0x20 + this.slots ? 0xffff : key;
  }

  item(): Item | undefined {
    return this.selected === 0xffff ? undefined : this.items.get(this.selected & 0x8000 ? 0x8000 | (this.selected & 0x3fff) : this.selected & 0x3fff);
  }

  /** The next `size` item bytes, byte i in bits 8i (a little-endian CPU sees them in memory order); 0 past the end. */
  data(size: Size): bigint {
    const item = this.item();
    let v = 0n;
    for (let i = 0; i < size; i++) {
      if (item && this.offset < item.data.length) v |= BigInt(item.data[this.offset++]!) << BigInt(8 * i);
    }
    return v;
  }

  inRam(a: bigint, n: bigint): boolean {
    return a >= 0n && a + n <= BigInt(RAM);
  }

  /** §9.5, step by step. Returns the stored status, or undefined when the descriptor itself is outside RAM. */
  dma(a: bigint): number | undefined {
    this.high = 0n;
    if (!this.inRam(a, 16n)) {
      if (this.inRam(a, 4n)) new DataView(this.ram.buffer).setUint32(Number(a), 1);
      return undefined;
    }
    const v = new DataView(this.ram.buffer);
    const control = v.getUint32(Number(a));
    let length = BigInt(v.getUint32(Number(a) + 4));
    let address = v.getBigUint64(Number(a) + 8);
    if (control & 0x08) this.select(control >>> 16);
    const read = (control & 0x02) !== 0;
    const write = !read && (control & 0x10) !== 0;
    if (!read && !write && !(control & 0x04)) length = 0n;
    let status = 0;
    while (length > 0n && status === 0) {
      const item = this.item();
      let len: bigint;
      if (!item || this.offset >= item.data.length) {
        len = length;
        if (read) {
          if (this.inRam(address, len)) this.ram.fill(0, Number(address), Number(address + len));
          else status = 1;
        }
        if (write) status = 1;
      } else {
        len = length < BigInt(item.data.length - this.offset) ? length : BigInt(item.data.length - this.offset);
        const n = Number(len);
        if (read) {
          if (this.inRam(address, len)) this.ram.set(item.data.subarray(this.offset, this.offset + n), Number(address));
          else status = 1;
        }
        if (write) {
          if (!item.writable || len !== length || !this.inRam(address, len)) status = 1;
          else item.data.set(this.ram.subarray(Number(address), Number(address) + n), this.offset);
        }
        this.offset += n;
      }
      address = (address + len) & U64;
      length -= len;
    }
    v.setUint32(Number(a), status); // §9.5 step 6: length and address stay as the guest wrote them
    return status;
  }

  /** A raw register access at `offset` from the device base; the read value, or undefined for a write. */
  access(offset: number, size: Size, write: boolean, value: bigint): bigint | undefined {
    const ones = (1n << BigInt(8 * size)) - 1n;
    const swap = (x: bigint, n: number): bigint => {
      let out = 0n;
      for (let i = 0; i < n; i++) out = (out << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
      return out;
    };
    // Claimed regions (§9.1): io: +0 two bytes (1/2-byte accesses), +4 DMA; mmio: +0 data, +8 selector, +16 DMA.
    const dmaAt = this.mmio ? 16 : 4;
    const inside = (base: number, len: number): boolean => offset >= base && offset + size <= len + base;
    const port64 = !this.mmio && size === 8; // x86 port I/O has no 64-bit access
    if (!port64 && inside(dmaAt, 8) && offset >= dmaAt) {
      const o = offset - dmaAt;
      if (!write) {
        if (o % size !== 0) return undefined; // unaligned: the spec does not pin the value; the state must not move
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(DMA_SIG[o + i]!);
        return v;
      }
      if (size === 4 && o === 0) this.high = swap(value, 4) << 32n;
      else if (size === 4 && o === 4) this.dma(this.high | swap(value, 4));
      else if (size === 8 && o === 0) this.dma(swap(value, 8));
      return undefined;
    }
    if (this.mmio) {
      if (offset === 0 && size <= 8 && !write) return this.data(size);
      if (inside(0, 8) && !write) return ones; // data reads only at offset 0
      if (offset === 8 && size === 2 && write) this.select(Number(swap(value, 2)));
      return write ? undefined : ones; // the selector cannot be read; writes elsewhere are dropped
    }
    if (inside(0, 2) && size <= 2 && !port64) {
      if (write) {
        if (size === 2) this.select(Number(value & 0xffffn));
        return undefined;
      }
      return size === 1 ? this.data(1) : ones;
    }
    return write ? undefined : ones;
  }
}

type Op =
  | { kind: 'access'; offset: number; size: Size; write: boolean; value: bigint }
  | { kind: 'dma'; at: bigint; control: number; length: number; address: bigint; how: 'halves' | '64' }
  | { kind: 'poke'; at: number; bytes: Uint8Array }
  | { kind: 'reset' };

const key = fc.oneof(fc.constantFrom(0, 1, 0x19, 0x20, 0x21, 0x22, 0x23, 0x2f, 0x3f, 0x40, 0x4021, 0x8002, 0xc002, 0xffff), fc.integer({ min: 0, max: 0xffff }));
const address = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: RAM - 64 }).map(BigInt), weight: 3 },
  fc.integer({ min: 0, max: RAM + 0x20 }).map(BigInt),
  fc.constantFrom(BigInt(RAM - 16), BigInt(RAM - 4), BigInt(RAM - 1), U64, U64 - 15n, 1n << 32n, 1n << 53n),
  fc.bigInt({ min: 0n, max: U64 }),
);
const control = fc.oneof(
  // Requests firmware makes of the writable item (key 0x22) and of the others, then any bit mix.
  fc.tuple(fc.constantFrom(0x22, 0x4022), fc.constantFrom(0x18, 0x10, 0x1a, 0x0c)).map(([k, b]) => ((k << 16) | b) >>> 0),
  fc.tuple(key, fc.constantFrom(0x0a, 0x0c, 0x18, 0x08, 0x02, 0x04, 0x10, 0x1e, 0x1a, 0x00)).map(([k, b]) => ((k << 16) | b) >>> 0),
  fc.integer({ min: 0, max: 0xffffffff }),
);
const length = fc.oneof(fc.constantFrom(0, 1, 4, 5, 8, 15, 16, 17, 22, 37, 4 + 64 * 0x10, 4 + 64 * 0x20), fc.integer({ min: 0, max: 80 }), fc.constantFrom(0xffffffff, RAM), fc.nat());
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('access' as const),
    offset: fc.oneof(fc.constantFrom(0, 1, 4, 8, 12, 16, 20), fc.integer({ min: -2, max: 26 })),
    size: fc.constantFrom<Size>(1, 2, 4, 8),
    write: fc.boolean(),
    value: fc.oneof(key.map(BigInt), fc.bigInt({ min: 0n, max: U64 })),
  }),
  fc.record({ kind: fc.constant('dma' as const), at: address, control, length, address, how: fc.constantFrom('halves' as const, '64' as const) }),
  fc.record({ kind: fc.constant('poke' as const), at: fc.integer({ min: 0, max: RAM - 1 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
  fc.constant({ kind: 'reset' as const }),
);

const machines: Machine[] = [];
afterAll(async () => {
  for (const m of machines) await m.quit();
});

describe.each([
  ['io', 0x10],
  ['mmio', 0x20],
] as const)('fw_cfg (%s, %i file slots) against the spec §9 model', (variant, slots) => {
  it('every read, register, RAM byte and item byte matches the model; no host exception', () => {
    const tally = new Tally(PKG, `fw_cfg ${variant}: random guest accesses vs the spec §9 model`, { caseUnit: 'access sequence', itemUnit: 'DMA transfers' });
    const params = fuzzParameters(150);
    tally.seed = params.seed;
    const faults: unknown[] = [];
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const dev = createFwCfg({ variant, fileSlots: slots });
        const records = FILES[2]!.data.slice();
        dev.addFile(FILES[0]!.name, ITEM_A);
        dev.addFile(FILES[2]!.name, records, { writable: true });
        dev.addFile(FILES[1]!.name, ITEM_CONFIG);
        dev.addBytes(0x8002, ARCH);
        const machine = createMachine({ board: variant === 'io' ? 'pc' : 'virt', ramBytes: RAM, devices: [dev], onDeviceFault: (e) => faults.push(e) });
        machines.push(machine);
        const base = variant === 'io' ? 0x510 : 0x09020000;
        const model = new Model(variant === 'mmio', slots);
        model.reset();
        const ram = machine.ram.bytes;
        const bus = (offset: number, size: Size, write: boolean, value: bigint): bigint | undefined => {
          if (variant === 'io') {
            if (size === 8) return write ? undefined : 0xffffffffn; // no 64-bit port access exists; the CPU cannot make one
            if (write) machine.io.write(base + offset, size, Number(value & ((1n << BigInt(8 * size)) - 1n)));
            else return BigInt(machine.io.read(base + offset, size));
            return undefined;
          }
          if (write) machine.mmio.write(base + offset, size, size === 8 ? value : Number(value & ((1n << BigInt(8 * size)) - 1n)));
          else return BigInt(machine.mmio.read(base + offset, size));
          return undefined;
        };
        const dmaAt = variant === 'io' ? 4 : 16;
        const swap32 = (x: number): bigint => BigInt(((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) & 0xffffffffn;
        for (const o of ops) {
          if (o.kind === 'reset') {
            machine.reset();
            model.reset();
          } else if (o.kind === 'poke') {
            const bytes = o.bytes.subarray(0, RAM - o.at);
            ram.set(bytes, o.at);
            model.ram.set(bytes, o.at);
          } else if (o.kind === 'dma') {
            if (o.at + 16n <= BigInt(RAM)) {
              for (const r of [ram, model.ram]) {
                const v = new DataView(r.buffer, r.byteOffset);
                v.setUint32(Number(o.at), o.control);
                v.setUint32(Number(o.at) + 4, o.length >>> 0);
                v.setBigUint64(Number(o.at) + 8, o.address);
              }
            }
            if (o.how === '64' && variant === 'mmio') {
              let le = 0n;
              for (let i = 0; i < 8; i++) le = (le << 8n) | ((o.at >> BigInt(8 * i)) & 0xffn);
              bus(dmaAt, 8, true, le);
              model.access(dmaAt, 8, true, le);
            } else {
              bus(dmaAt, 4, true, swap32(Number(o.at >> 32n)));
              model.access(dmaAt, 4, true, swap32(Number(o.at >> 32n)));
              bus(dmaAt + 4, 4, true, swap32(Number(o.at & 0xffffffffn)));
              model.access(dmaAt + 4, 4, true, swap32(Number(o.at & 0xffffffffn)));
            }
            if (o.at + 4n <= BigInt(RAM)) {
              const status = new DataView(model.ram.buffer).getUint32(Number(o.at));
              if (status === 0) tally.accepted++;
              else tally.rejected++;
            } else tally.rejected++;
          } else {
            const want = model.access(o.offset, o.size, o.write, o.value);
            const got = bus(o.offset, o.size, o.write, o.value);
            if (want !== undefined && !(variant === 'io' && o.size === 8)) expect(got, JSON.stringify(o, (_, x) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x))).toBe(want);
          }
          const r = dev.registers();
          expect({ selected: r.selected, offset: r.offset, dma: r.dmaAddress }).toEqual({ selected: model.selected, offset: model.offset, dma: model.high });
          expect(Buffer.compare(ram, model.ram)).toBe(0);
          expect([...records]).toEqual([...model.items.get(0x22)!.data]);
        }
        expect([...ITEM_A]).toEqual(Array.from({ length: 37 }, (_, i) => (i * 7 + 1) & 0xff));
        expect(machine.io.stats().faults + machine.mmio.stats().faults).toBe(0);
        tally.cases++;
      }),
      params,
    );
    expect(faults).toEqual([]);
    tally.report();
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  }, 120_000);
});
