import { describe, expect, it } from 'vitest';
import { type FwCfgDmaTarget, joinAddress, runDmaTransfer } from './dma.js';
import { FwCfgItems } from './items.js';
import { MemoryDouble } from './test-doubles.js';

function target(items: FwCfgItems): FwCfgDmaTarget & { failures: unknown[] } {
  const failures: unknown[] = [];
  return {
    selected: 0xffff,
    offset: 0,
    items,
    trace: undefined,
    failures,
    select(key) {
      this.offset = 0;
      (this as { selected: number }).selected = key;
      items.get(key)?.onSelect?.();
    },
    callbackFailed: (e) => void failures.push(e),
  };
}

function descriptor(mem: MemoryDouble, at: number, control: number, length: number, address: bigint): void {
  const v = new DataView(mem.bytes.buffer);
  v.setUint32(at, control);
  v.setUint32(at + 4, length);
  v.setBigUint64(at + 8, address);
}

describe('DMA address arithmetic', () => {
  it('joins halves into exact numbers below 2^53 and bigints above', () => {
    expect(joinAddress(0, 0x1000)).toBe(0x1000);
    expect(joinAddress(0x1fffff, 0xffffffff)).toBe(Number.MAX_SAFE_INTEGER);
    expect(joinAddress(0x200000, 0)).toBe(1n << 53n);
    expect(joinAddress(0xffffffff, 0xffffffff)).toBe((1n << 64n) - 1n);
  });

  it('lets SKIP run the buffer address past 2^64 without touching memory', () => {
    const items = new FwCfgItems(0x20, undefined, 'none');
    items.addFile('opt/a', new Uint8Array(8));
    const mem = new MemoryDouble(0x100);
    const t = target(items);
    t.select(0x20);
    descriptor(mem, 0, 0x04, 16, (1n << 64n) - 4n);
    const before = mem.bytes.slice(16);
    runDmaTransfer(t, mem, 0);
    expect(new DataView(mem.bytes.buffer).getUint32(0)).toBe(0);
    expect(t.offset).toBe(8);
    expect(mem.bytes.slice(16)).toEqual(before);
  });
});

describe('DMA engine', () => {
  it('re-reads the item after the select callback replaced it', () => {
    const items = new FwCfgItems(0x20, undefined, 'none');
    items.addFile('opt/a', Uint8Array.of(1), { onSelect: () => items.modifyFile('opt/a', Uint8Array.of(7, 8)) });
    const mem = new MemoryDouble(0x100);
    descriptor(mem, 0, (0x20 << 16) | 0x0a, 2, 0x80n);
    runDmaTransfer(target(items), mem, 0);
    expect([...mem.bytes.subarray(0x80, 0x82)]).toEqual([7, 8]);
  });

  it('reports ERROR and hands the error on when a write callback throws, after storing the data', () => {
    const items = new FwCfgItems(0x20, undefined, 'none');
    const store = new Uint8Array(2);
    const boom = new Error('boom');
    items.addFile('opt/w', store, { writable: true, onWrite: () => { throw boom; } });
    const mem = new MemoryDouble(0x100);
    mem.bytes.set([5, 6], 0x80);
    descriptor(mem, 0, (0x20 << 16) | 0x18, 2, 0x80n);
    const t = target(items);
    runDmaTransfer(t, mem, 0);
    expect(new DataView(mem.bytes.buffer).getUint32(0)).toBe(1);
    expect([...store]).toEqual([5, 6]);
    expect(t.failures).toEqual([boom]);
  });

  it('treats a zero-length item as having no data', () => {
    const items = new FwCfgItems(0x20, undefined, 'none');
    items.addFile('opt/empty', new Uint8Array(0), { writable: true });
    const mem = new MemoryDouble(0x100);
    mem.bytes.fill(0xaa, 0x80, 0x84);
    descriptor(mem, 0, (0x20 << 16) | 0x0a, 4, 0x80n);
    runDmaTransfer(target(items), mem, 0);
    expect([...mem.bytes.subarray(0x80, 0x84)]).toEqual([0, 0, 0, 0]);
    descriptor(mem, 0, (0x20 << 16) | 0x18, 4, 0x80n);
    runDmaTransfer(target(items), mem, 0);
    expect(new DataView(mem.bytes.buffer).getUint32(0)).toBe(1);
  });
});
