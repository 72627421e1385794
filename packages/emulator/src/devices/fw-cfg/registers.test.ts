import { describe, expect, it } from 'vitest';
import type { AccessSize } from '../../io/handlers.js';
import { type FwCfgRange, type FwCfgRegisterTarget, bswap16, bswap32, bswap64, ioRanges, mmioRanges, readDmaSignature } from './registers.js';

const SIG = [...new TextEncoder().encode('QEMU CFG')];

/** The value a little-endian CPU loads from `size` bytes laid out as `bytes`. */
function le(bytes: number[]): bigint {
  return bytes.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);
}

function recording(): { t: FwCfgRegisterTarget; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const t: FwCfgRegisterTarget = {
    select: (k) => void calls.push(['select', k]),
    readData: (size) => {
      calls.push(['read', size]);
      return size === 8 ? 0x1122334455667788n : 0x11;
    },
    dmaHigh: (v) => void calls.push(['high', v]),
    dmaLow: (v) => void calls.push(['low', v]),
    dma64: (v) => void calls.push(['64', v]),
  };
  return { t, calls };
}

const at = (ranges: FwCfgRange[], offset: number): FwCfgRange => ranges.find((r) => r.offset === offset)!;

describe('byte swaps', () => {
  it('reverse byte order', () => {
    expect(bswap16(0x1234)).toBe(0x3412);
    expect(bswap32(0x12345678)).toBe(0x78563412);
    expect(bswap32(0xff000000)).toBe(0xff);
    expect(bswap32(0x000000ff)).toBe(0xff000000);
    expect(bswap64(0x0102030405060708n)).toBe(0x0807060504030201n);
  });
});

describe('DMA register reads (spec §9.1)', () => {
  it('return byte k of `QEMU CFG` at offset k for every aligned width', () => {
    for (const size of [1, 2, 4, 8] as AccessSize[]) {
      for (let k = 0; k + size <= 8; k += size) {
        const v = readDmaSignature(k, size);
        expect(BigInt(v)).toBe(le(SIG.slice(k, k + size)));
        expect(typeof v).toBe(size === 8 ? 'bigint' : 'number');
      }
    }
    expect(readDmaSignature(0, 4)).toBe(0x554d4551); // "QEMU" as a little-endian u32
  });

  it('refuse unaligned reads with all ones', () => {
    expect(readDmaSignature(1, 2)).toBe(0xffff);
    expect(readDmaSignature(2, 4)).toBe(0xffffffff);
    expect(readDmaSignature(4, 8)).toBe(0xffffffffffffffffn);
  });
});

describe('port variant registers', () => {
  it('decode a 16-bit selector write as little-endian and ignore 8-bit data writes', () => {
    const { t, calls } = recording();
    const ctl = at(ioRanges(t, true), 0).handlers;
    expect(ctl.sizes).toEqual([1, 2]);
    ctl.write!(0, 2, 0x0019);
    ctl.write!(0, 1, 0x55);
    ctl.write!(1, 1, 0x55);
    expect(calls).toEqual([['select', 0x19]]);
  });

  it('read data bytes at either port, and refuse 16-bit reads', () => {
    const { t, calls } = recording();
    const ctl = at(ioRanges(t, true), 0).handlers;
    expect(ctl.read!(0, 1)).toBe(0x11);
    expect(ctl.read!(1, 1)).toBe(0x11);
    expect(ctl.read!(0, 2)).toBe(0xffff);
    expect(calls).toEqual([['read', 1], ['read', 1]]);
  });

  it('decode the DMA halves big-endian; only 32-bit at +0/+4 and 64-bit at +0 reach the device', () => {
    const { t, calls } = recording();
    const dma = at(ioRanges(t, true), 4).handlers;
    dma.write!(0, 4, bswap32(0x00000001));
    dma.write!(4, 4, bswap32(0x00001000));
    dma.write!(0, 8, bswap64(0x0000000100002000n));
    dma.write!(2, 4, 0);
    dma.write!(4, 8, 0n);
    dma.write!(0, 2, 0);
    dma.write!(0, 1, 0);
    expect(calls).toEqual([
      ['high', 1],
      ['low', 0x1000],
      ['64', 0x0000000100002000n],
    ]);
  });

  it('has no DMA range without DMA', () => {
    expect(ioRanges(recording().t, false).map((r) => r.offset)).toEqual([0]);
  });
});

describe('MMIO variant registers (all big-endian)', () => {
  it('lay out data +0, selector +8, DMA +16', () => {
    const ranges = mmioRanges(recording().t, true, 8);
    expect(ranges.map((r) => [r.offset, r.length])).toEqual([[0, 8], [8, 2], [16, 8]]);
    expect(mmioRanges(recording().t, false, 1).map((r) => [r.offset, r.length])).toEqual([[0, 1], [8, 2]]);
  });

  it('swap the selector: a little-endian CPU writes the byte-swapped key', () => {
    const { t, calls } = recording();
    const ctl = at(mmioRanges(t, true, 8), 8).handlers;
    expect(ctl.sizes).toEqual([2]);
    ctl.write!(0, 2, 0x1900);
    expect(ctl.read).toBeUndefined();
    expect(calls).toEqual([['select', 0x19]]);
  });

  it('read data only at offset 0, with widths up to the data width, and ignore writes', () => {
    const { t, calls } = recording();
    const data = at(mmioRanges(t, true, 8), 0).handlers;
    expect(data.sizes).toEqual([1, 2, 4, 8]);
    expect(data.read!(0, 8)).toBe(0x1122334455667788n);
    expect(data.read!(4, 4)).toBe(0xffffffff);
    data.write!(0, 4, 1);
    expect(calls).toEqual([['read', 8]]);
    expect(at(mmioRanges(t, true, 4), 0).handlers.sizes).toEqual([1, 2, 4]);
  });
});
