// Property: no sequence of selector, data and DMA accesses with wild values can make fw_cfg throw, write guest RAM
// outside the transfer it was asked for, move the offset past the item, or corrupt what a later SELECT reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessSize } from '../src/io/handlers.js';
import { createFwCfg } from '../src/devices/fw-cfg/fw-cfg.js';
import { FwCfgDriver, attachToDoubles } from '../src/devices/fw-cfg/test-doubles.js';

const RAM = 0x1000;
const U64 = (1n << 64n) - 1n;
const ITEM_RO_A = Uint8Array.from({ length: 37 }, (_, i) => (i * 7 + 1) & 0xff);
const ITEM_RO_B = new TextEncoder().encode('opt/unitrace/fw/config');
const SIG = [...new TextEncoder().encode('QEMU')];

type Op =
  | { kind: 'select'; key: number }
  | { kind: 'read'; offset: number; size: AccessSize }
  | { kind: 'write'; offset: number; size: AccessSize; value: bigint }
  | { kind: 'dma'; desc: bigint; control: number; length: number; address: bigint; how: 'halves' | '64' }
  | { kind: 'verify'; which: number; viaDma: boolean };

const key = fc.oneof(
  fc.constantFrom(0x00, 0x01, 0x19, 0x20, 0x21, 0x22, 0x23, 0x2f, 0x3f, 0x40, 0x4020, 0x8000, 0xffff),
  fc.integer({ min: 0, max: 0xffff }),
);
const size = fc.constantFrom<AccessSize>(1, 2, 4, 8);
const address = fc.oneof(
  fc.integer({ min: 0, max: RAM + 0x20 }).map(BigInt),
  // Just below 2^64 by an item's length: a chunk that fails there must not let the next one wrap to address 0.
  fc.constantFrom(BigInt(RAM - 16), BigInt(RAM - 4), BigInt(RAM - 1), U64, U64 - 3n, U64 - 15n, U64 - 21n, U64 - 36n),
  fc.constantFrom(1n << 32n, 1n << 53n),
  fc.bigInt({ min: 0n, max: U64 }),
);
// Requests firmware would make (SELECT with READ, SKIP or WRITE), any bit mix, and fully random words.
const control = fc.oneof(
  fc.tuple(key, fc.constantFrom(0x0a, 0x0c, 0x18, 0x08, 0x02, 0x04, 0x10, 0x1e, 0x1a, 0x00)).map(([k, bits]) => ((k << 16) | bits) >>> 0),
  fc.tuple(key, fc.integer({ min: 0, max: 0x1f })).map(([k, bits]) => ((k << 16) | bits) >>> 0),
  fc.integer({ min: 0, max: 0xffffffff }),
);
// Item lengths (4, 16, 22, 37, the directory) make exact writes and exact reads likely.
const length = fc.oneof(
  fc.constantFrom(0, 1, 2, 4, 16, 22, 37, 4 + 64 * 0x10),
  fc.integer({ min: 0, max: 80 }),
  fc.constantFrom(0xffffffff, 0x80000000, RAM),
  fc.integer({ min: 0, max: 0xffffffff }),
);
// Register offsets: mostly the registers themselves (data 0/1, selector 8, DMA halves), sometimes around them.
const regOffset = fc.oneof(fc.constantFrom(0, 1, 4, 8, 16, 20), fc.integer({ min: -1, max: 0x19 }));

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('select' as const), key }),
  fc.record({ kind: fc.constant('read' as const), offset: regOffset, size }),
  fc.record({
    kind: fc.constant('write' as const),
    offset: regOffset,
    size,
    value: fc.bigInt({ min: 0n, max: U64 }),
  }),
  fc.record({ kind: fc.constant('dma' as const), desc: address, control, length, address, how: fc.constantFrom('halves' as const, '64' as const) }),
  fc.record({ kind: fc.constant('verify' as const), which: fc.integer({ min: 0, max: 4 }), viaDma: fc.boolean() }),
);

/** Ranges [start, end) of RAM a transfer with its descriptor at `desc` may write, read from RAM before the kick. */
function allowed(ram: Uint8Array, desc: bigint): [bigint, bigint][] {
  const out: [bigint, bigint][] = [[desc, desc + 4n]];
  if (desc + 16n <= BigInt(RAM)) {
    const v = new DataView(ram.buffer, ram.byteOffset);
    const d = Number(desc);
    const len = BigInt(v.getUint32(d + 4));
    const addr = v.getBigUint64(d + 8);
    out.push([addr, addr + len]);
  }
  return out;
}

function checkRamChanges(before: Uint8Array, after: Uint8Array, ranges: [bigint, bigint][]): void {
  for (let i = 0; i < RAM; i++) {
    if (before[i] === after[i]) continue;
    const a = BigInt(i);
    if (!ranges.some(([s, e]) => a >= s && a < e)) throw new Error(`RAM byte 0x${i.toString(16)} changed outside the transfer`);
  }
}

describe.each(['io', 'mmio'] as const)('fw_cfg %s under random guest accesses', (variant) => {
  it('never throws, writes only inside the transfer, keeps offset ≤ length, and re-reads items intact', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 80, size: 'large' }), (ops) => {
        const dev = createFwCfg({ variant, fileSlots: 0x10 });
        const store = new Uint8Array(16).fill(0xee);
        dev.addFile('opt/unitrace/fw/records', store, { writable: true });
        dev.addFile('opt/a', ITEM_RO_A);
        dev.addFile('opt/unitrace/fw/config', ITEM_RO_B);
        const env = attachToDoubles(dev, RAM);
        dev.reset();
        const base = variant === 'io' ? 0x510 : 0x09020000;
        const bus = variant === 'io' ? env.io : env.mmio;
        const ram = env.memory.bytes;
        // A pattern in RAM, so that any stray copy or zero-fill changes something.
        for (let i = 0; i < RAM; i++) ram[i] = (i * 13 + 5) & 0xff;
        const fw = new FwCfgDriver(bus, variant, base, ram);
        const lengths = new Map<number, number>([[0, 4], [1, 4], [0x19, 4 + 64 * 0x10]]);
        for (const f of dev.listFiles()) lengths.set(f.key, f.size);
        const expected = (k: number): number[] =>
          k === 0 ? SIG : k === 1 ? [3, 0, 0, 0] : k === dev.keyOf('opt/a') ? [...ITEM_RO_A] : k === dev.keyOf('opt/unitrace/fw/config') ? [...ITEM_RO_B] : [...store];
        const lengthOf = (sel: number): number => (sel === 0xffff || sel & 0x8000 ? 0 : (lengths.get(sel & 0x3fff) ?? 0));

        for (const o of ops) {
          const storeBefore = store.slice();
          if (o.kind === 'select') fw.select(o.key);
          else if (o.kind === 'read') bus.read(base + o.offset, o.size);
          else if (o.kind === 'write') {
            const value = o.size === 8 ? o.value : Number(o.value & ((1n << BigInt(8 * o.size)) - 1n));
            const before = ram.slice();
            const high = dev.registers().dmaAddress;
            bus.write(base + o.offset, o.size, value);
            // A write that started a transfer may only have touched what its descriptor names.
            const dmaOffset = o.offset - (fw.dmaBase - base);
            let desc: bigint | undefined;
            if (dev.dmaEnabled && dmaOffset === 4 && o.size === 4) desc = high | BigInt(swap32(Number(value)));
            if (dmaOffset === 0 && o.size === 8) desc = swap64(value as bigint);
            checkRamChanges(before, ram, desc === undefined ? [] : allowed(before, desc));
          } else if (o.kind === 'dma') {
            if (o.desc + 16n <= BigInt(RAM)) fw.putDescriptor(Number(o.desc), o);
            const before = ram.slice();
            fw.kick(o.desc, o.how);
            checkRamChanges(before, ram, allowed(before, o.desc));
            if (o.desc + 4n <= BigInt(RAM)) {
              const c = new DataView(ram.buffer).getUint32(Number(o.desc));
              expect(c === 0 || c === 1).toBe(true);
              if (c === 1) expect(store).toEqual(storeBefore);
            }
          } else {
            const k = [0, 1, dev.keyOf('opt/a')!, dev.keyOf('opt/unitrace/fw/config')!, dev.keyOf('opt/unitrace/fw/records')!][o.which];
            const want = expected(k);
            if (o.viaDma) {
              const at = RAM - 0x100;
              expect(fw.dma(at, { control: (k << 16) | 0x0a, length: want.length + 2, address: at + 16 })).toBe(0);
              expect([...ram.subarray(at + 16, at + 18 + want.length)]).toEqual([...want, 0, 0]);
            } else {
              fw.select(k);
              expect(fw.read(want.length + 2)).toEqual([...want, 0, 0]);
            }
          }
          const r = dev.registers();
          expect(r.offset).toBeLessThanOrEqual(lengthOf(r.selected));
        }
        expect([...ITEM_RO_A]).toEqual(Array.from({ length: 37 }, (_, i) => (i * 7 + 1) & 0xff));
        expect(new TextDecoder().decode(ITEM_RO_B)).toBe('opt/unitrace/fw/config');
      }),
      { numRuns: 200 },
    );
  });
});

function swap32(v: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, v >>> 0, true);
  return view.getUint32(0, false);
}

function swap64(v: bigint): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, v, true);
  return view.getBigUint64(0, false);
}
