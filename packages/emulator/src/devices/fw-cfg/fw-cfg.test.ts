import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import type { DeviceContext } from '../device.js';
import { createFwCfg } from './fw-cfg.js';
import { BusDouble, FwCfgDriver, MemoryDouble, attachToDoubles } from './test-doubles.js';
import type { FwCfgTrace } from './trace.js';

function recorder(): { trace: FwCfgTrace; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const trace = new Proxy({} as FwCfgTrace, {
    get: (_t, name) => (...args: unknown[]) => calls.push([name, ...args]),
  });
  return { trace, calls };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isTraceError(e) ? e.code : 'other';
  }
  return undefined;
}

describe('createFwCfg options', () => {
  it('refuses a bad variant, file slot count or data width', () => {
    expect(codeOf(() => createFwCfg({ variant: 'isa' as 'io' }))).toBe('E_USAGE');
    expect(codeOf(() => createFwCfg({ variant: 'io', fileSlots: 0x0f }))).toBe('E_USAGE');
    expect(codeOf(() => createFwCfg({ variant: 'io', fileSlots: 0x3fe1 }))).toBe('E_USAGE');
    expect(codeOf(() => createFwCfg({ variant: 'io', fileSlots: 0x3fe0 }))).toBeUndefined();
    expect(codeOf(() => createFwCfg({ variant: 'mmio', dataWidth: 3 as 1 }))).toBe('E_USAGE');
  });

  it('claims the QEMU placements by default and honours a base', () => {
    const pc = attachToDoubles(createFwCfg({ variant: 'io' }));
    expect(pc.io.claims.map((c) => [c.base, c.length])).toEqual([[0x510, 2], [0x514, 8]]);
    expect(pc.mmio.claims).toEqual([]);
    const virt = attachToDoubles(createFwCfg({ variant: 'mmio', base: 0x10100000 }));
    expect(virt.mmio.claims.map((c) => [c.base, c.length])).toEqual([[0x10100000, 8], [0x10100008, 2], [0x10100010, 8]]);
  });
});

describe('fw_cfg tracepoints', () => {
  it('trace the device items, selects and reads with QEMU key names and register values', () => {
    const { trace, calls } = recorder();
    const dev = createFwCfg({ variant: 'mmio', trace });
    expect(calls).toEqual([
      ['fw_cfg_add_bytes', 0, 'signature', 4],
      ['fw_cfg_add_bytes', 1, 'id', 4],
    ]);
    const env = attachToDoubles(dev);
    const fw = new FwCfgDriver(env.mmio, 'mmio', 0x09020000, env.memory.bytes);
    calls.length = 0;
    fw.select(0x0b);
    fw.select(0x00);
    fw.readWide(2);
    fw.readWide(4);
    expect(calls).toEqual([
      ['fw_cfg_select', 0, 0x0b, 'initdr_size', 1],
      ['fw_cfg_select', 0, 0x00, 'signature', 1],
      ['fw_cfg_read', 0, 0x5145], // "QE" as the big-endian register holds it
      ['fw_cfg_read', 0, 0x4d550000], // "MU" then zero padding on the right
    ]);
  });

  it('trace DMA transfers, errors and writes', () => {
    const { trace, calls } = recorder();
    const dev = createFwCfg({ variant: 'io', trace });
    dev.addFile('opt/w', new Uint8Array(2), { writable: true });
    const env = attachToDoubles(dev);
    const fw = new FwCfgDriver(env.io, 'io', 0x510, env.memory.bytes);
    calls.length = 0;
    fw.dma(0x100, { control: (0x20 << 16) | 0x18, length: 2, address: 0x200 });
    fw.dma(0x100, { control: 0x10, length: 1, address: 0x200 });
    fw.kick(0x1_0000_0000n);
    expect(calls).toEqual([
      ['fw_cfg_select', 0, 0x20, 'unknown', 1],
      ['fw_cfg_dma_transfer', 0x100, 0x200018, 2, 0x200, 0x20],
      ['fw_cfg_dma_write', 0x20, 0, 2],
      ['fw_cfg_read', 0, 0],
      ['fw_cfg_dma_transfer', 0x100, 0x10, 1, 0x200, 0x20],
      ['fw_cfg_dma_error', 0x200, 'write past the end of the item'],
      ['fw_cfg_read', 0, 0],
      ['fw_cfg_dma_error', 0x1_0000_0000, 'descriptor outside RAM'],
    ]);
  });

  it('adopt the machine tracepoints at attach when they include the fw_cfg events', () => {
    const { trace, calls } = recorder();
    const dev = createFwCfg({ variant: 'io' });
    const ctx = { io: new BusDouble(), mmio: new BusDouble(), memory: new MemoryDouble(64), trace } as unknown as DeviceContext;
    dev.attach(ctx);
    dev.reset();
    dev.addFile('opt/x', new Uint8Array(1));
    expect(calls).toEqual([
      ['fw_cfg_select', 0, 0, 'signature', 1],
      ['fw_cfg_add_file', 0, 0, 'opt/x', 1],
    ]);
  });
});

describe('fw_cfg host callbacks that throw (host bugs)', () => {
  it('finish the DMA with ERROR, then go to onError', () => {
    const errors: unknown[] = [];
    const dev = createFwCfg({ variant: 'io', onError: (e) => errors.push(e) });
    const boom = new Error('boom');
    dev.addFile('opt/w', new Uint8Array(2), { writable: true, onWrite: () => { throw boom; }, onSelect: () => { throw boom; } });
    const env = attachToDoubles(dev);
    const fw = new FwCfgDriver(env.io, 'io', 0x510, env.memory.bytes);
    expect(fw.dma(0x100, { control: (0x20 << 16) | 0x18, length: 2, address: 0x200 })).toBe(1);
    expect(errors).toEqual([boom, boom]);
    fw.select(0x20);
    expect(errors.length).toBe(3);
  });

  it('without onError, are rethrown from a microtask, never from the access', async () => {
    const dev = createFwCfg({ variant: 'io' });
    dev.addFile('opt/s', new Uint8Array(1), { onSelect: () => { throw new Error('late'); } });
    const env = attachToDoubles(dev);
    const seen: unknown[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (cb) => seen.push(cb);
    try {
      expect(() => env.io.write(0x510, 2, 0x20)).not.toThrow();
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(seen.length).toBe(1);
    expect(() => (seen[0] as () => void)()).toThrow('late');
  });
});

describe('user items and files from disk (spec §9.6)', () => {
  it('adds string= without a NUL and file= with the file bytes, warning outside opt/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-cfg-'));
    const path = join(dir, 'blob');
    writeFileSync(path, Uint8Array.of(1, 2, 3));
    const warnings: string[] = [];
    const dev = createFwCfg({ variant: 'io', onWarning: (w) => warnings.push(w) });
    expect(dev.addUserItem({ name: 'opt/s', string: 'abc' })).toEqual([]);
    expect(dev.addUserItem({ name: 'etc/f', file: path })).toHaveLength(1);
    expect(warnings).toEqual(['externally provided fw_cfg item names should be prefixed with "opt/"']);
    dev.addFileFromDisk('opt/d', path);
    expect(dev.listFiles()).toEqual([
      { name: 'etc/f', key: 0x20, size: 3, writable: false },
      { name: 'opt/d', key: 0x21, size: 3, writable: false },
      { name: 'opt/s', key: 0x22, size: 3, writable: false },
    ]);
    const env = attachToDoubles(dev);
    const fw = new FwCfgDriver(env.io, 'io', 0x510, env.memory.bytes);
    fw.select(0x22);
    expect(fw.read(4)).toEqual([0x61, 0x62, 0x63, 0]);
    fw.select(0x20);
    expect(fw.read(3)).toEqual([1, 2, 3]);
  });

  it('fails with E_IO for an unreadable file and adds nothing', () => {
    const dev = createFwCfg({ variant: 'io' });
    let caught: unknown;
    try {
      dev.addFileFromDisk('opt/x', '/nonexistent/fw-cfg-blob');
    } catch (e) {
      caught = e;
    }
    expect(isTraceError(caught, 'E_IO')).toBe(true);
    expect((caught as Error).message).toMatch(/^can't load \/nonexistent\/fw-cfg-blob: /);
    expect(dev.listFiles()).toEqual([]);
  });
});
