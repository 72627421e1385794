import { describe, expect, it } from 'vitest';
import { traceSpy } from '../../test/support/trace-spy.js';
import type { AccessSize } from './handlers.js';
import { MMIO_ADDRESS_LIMIT, type MmioBusTrace, createMmioBus } from './mmio-bus.js';

function setUp() {
  const trace = traceSpy<MmioBusTrace>();
  const faults: string[] = [];
  const bus = createMmioBus({ trace, onFault: (_err, owner) => faults.push(owner) });
  return { bus, trace, faults };
}

describe('MmioBus registration', () => {
  it('throws E_STATE for overlapping claims in any order and keeps adjacent ones', () => {
    const { bus } = setUp();
    bus.register(0x0902_0000, 0x18, 'fw_cfg', { sizes: [1, 2, 4, 8] });
    bus.register(0x0902_0018, 8, 'next', { sizes: [4] });
    bus.register(0x0901_fff8, 8, 'before', { sizes: [4] });
    expect(() => bus.register(0x0902_0010, 4, 'inside', { sizes: [4] })).toThrow(
      expect.objectContaining({ code: 'E_STATE', message: expect.stringContaining('claimed by fw_cfg') }),
    );
    expect(() => bus.register(0x0900_0000, 0x10_0000, 'covering', { sizes: [4] })).toThrow(/overlaps/);
    expect(bus.ranges().map((r) => r.owner)).toEqual(['fw_cfg', 'next', 'before']);
  });

  it('refuses claims that reach 2^53 or are not integers', () => {
    const { bus } = setUp();
    expect(() => bus.register(MMIO_ADDRESS_LIMIT - 4, 8, 'top', { sizes: [4] })).toThrow(/E_STATE|must lie/);
    expect(() => bus.register(0.5, 8, 'half', { sizes: [4] })).toThrow(/must lie/);
    bus.register(MMIO_ADDRESS_LIMIT - 8, 8, 'top', { sizes: [8], read: () => 7n });
    expect(bus.read(MMIO_ADDRESS_LIMIT - 8, 8)).toBe(7n);
  });

  it('finds the right range among many registered out of order', () => {
    const { bus } = setUp();
    const bases = Array.from({ length: 64 }, (_, i) => ((i * 37) % 64) * 0x1000 + 2 ** 33);
    for (const base of bases) bus.register(base, 0x100, `d${base}`, { sizes: [4], read: () => base / 0x1000 });
    for (const base of bases) {
      expect(bus.read(base + 0xfc, 4)).toBe(base / 0x1000);
      expect(bus.read(base + 0x100, 4)).toBe(0xffffffff);
    }
    expect(bus.stats().unassignedReads).toBe(64);
  });
});

describe('MmioBus accesses', () => {
  it('passes 8-byte values as bigints and smaller ones as numbers, at the offset in the range', () => {
    const { bus, trace } = setUp();
    const seen: Array<[number, AccessSize, number | bigint]> = [];
    bus.register(0x1000, 0x20, 'dev', {
      sizes: [1, 2, 4, 8],
      read: (offset, size) => (size === 8 ? 0x1122_3344_5566_7788n : offset + size),
      write: (offset, size, value) => {
        seen.push([offset, size, value]);
      },
    });
    bus.write(0x1008, 8, 0xffff_ffff_ffff_ffff_1n);
    bus.write(0x1010, 4, 0x1_2345_6789);
    bus.write(0x1010, 8, -2n);
    expect(seen).toEqual([
      [8, 8, 0xffff_ffff_ffff_fff1n],
      [0x10, 4, 0x2345_6789],
      [0x10, 8, 0xffff_ffff_ffff_fffen],
    ]);
    expect(bus.read(0x1000, 8)).toBe(0x1122_3344_5566_7788n);
    expect(bus.read(0x1004, 2)).toBe(6);
    expect(trace.calls[3]).toEqual(['mmio_read', 'dev', 0x1000, 8, 0x1122_3344_5566_7788n]);
  });

  it('reads unassigned and impossible addresses as all ones and drops writes', () => {
    const { bus, trace } = setUp();
    const addrs = [0x5000, -8, 0.5, Number.NaN, Infinity, MMIO_ADDRESS_LIMIT, 2 ** 64];
    for (const a of addrs) {
      expect(bus.read(a, 1)).toBe(0xff);
      expect(bus.read(a, 8)).toBe(0xffff_ffff_ffff_ffffn);
      bus.write(a, 4, 1);
    }
    expect(bus.stats()).toMatchObject({ unassignedReads: 14, unassignedWrites: 7, invalidAccesses: 0 });
    expect(trace.calls[0]).toEqual(['mmio_unassigned_read', 0x5000, 1]);
  });

  it('refuses widths a range does not accept and accesses running past its end', () => {
    const { bus, trace } = setUp();
    let reads = 0;
    bus.register(0x2000, 8, 'dma', {
      sizes: [4, 8],
      read: () => {
        reads++;
        return 0;
      },
    });
    expect(bus.read(0x2000, 2)).toBe(0xffff);
    expect(bus.read(0x2004, 8)).toBe(0xffff_ffff_ffff_ffffn);
    expect(bus.read(0x2006, 4)).toBe(0xffffffff);
    expect(bus.read(0x2004, 4)).toBe(0);
    bus.write(0x2000, 4, 1);
    expect(reads).toBe(1);
    expect(trace.calls.map((c) => c[0])).toEqual([
      'mmio_invalid_access',
      'mmio_invalid_access',
      'mmio_invalid_access',
      'mmio_read',
      'mmio_invalid_access',
    ]);
    expect(bus.stats().invalidAccesses).toBe(4);
  });

  it('normalises handler results and survives throwing handlers', () => {
    const { bus, faults } = setUp();
    bus.register(0x3000, 8, 'odd', { sizes: [4, 8], read: (_o, size) => (size === 8 ? 5 : 2n ** 40n + 3n) });
    expect(bus.read(0x3000, 8)).toBe(5n);
    expect(bus.read(0x3000, 4)).toBe(3);
    bus.register(0x4000, 8, 'buggy', {
      sizes: [8],
      read: () => {
        throw new Error('bug');
      },
    });
    expect(bus.read(0x4000, 8)).toBe(0xffff_ffff_ffff_ffffn);
    expect(faults).toEqual(['buggy']);
  });
});
