import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { FwCfgItems } from './items.js';
import type { FwCfgTrace } from './trace.js';

function recorder(): { trace: FwCfgTrace; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const trace = new Proxy({} as FwCfgTrace, {
    get: (_t, name) => (...args: unknown[]) => calls.push([name, ...args]),
  });
  return { trace, calls };
}

function code(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return isTraceError(e) ? e.code : 'not a TraceError';
  }
  return undefined;
}

describe('fw_cfg item store: numeric keys (spec §9.2, §9.3)', () => {
  it('stores u16/u32/u64 little-endian and strings with their NUL', () => {
    const s = new FwCfgItems(0x20, undefined, 'x86');
    s.addU16(0x05, 0x0102);
    s.addU32(0x07, 0x01020304);
    s.addU64(0x03, 0x0102030405060708n);
    s.addU64(0x8001, 2 ** 40 + 1);
    s.addString(0x15, 'console=ttyS0');
    expect([...s.get(0x05)!.data]).toEqual([2, 1]);
    expect([...s.get(0x07)!.data]).toEqual([4, 3, 2, 1]);
    expect([...s.get(0x03)!.data]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect([...s.get(0x8001)!.data]).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
    expect(new TextDecoder().decode(s.get(0x15)!.data)).toBe('console=ttyS0\0');
  });

  it('keeps the generic and arch tables apart and ignores bit 14 of a key', () => {
    const s = new FwCfgItems(0x20, undefined, 'x86');
    s.addBytes(0x04, new Uint8Array([4]));
    s.addBytes(0x8004, new Uint8Array([0x84]));
    expect(s.get(0x04)!.data[0]).toBe(4);
    expect(s.get(0x8004)!.data[0]).toBe(0x84);
    expect(s.get(0x4004)!.data[0]).toBe(4);
    expect(s.get(0xc004)!.data[0]).toBe(0x84);
    expect(s.get(0x06)).toBeUndefined();
  });

  it('refuses keys that are taken, reserved for files, out of range or malformed', () => {
    const s = new FwCfgItems(0x10, undefined, 'none');
    s.addBytes(0x02, new Uint8Array(16));
    expect(code(() => s.addBytes(0x02, new Uint8Array(1)))).toBe('E_DUPLICATE');
    expect(code(() => s.addBytes(0x4002, new Uint8Array(1)))).toBe('E_DUPLICATE');
    expect(code(() => s.addBytes(0x19, new Uint8Array(1)))).toBe('E_USAGE');
    expect(code(() => s.addBytes(0x20, new Uint8Array(1)))).toBe('E_USAGE');
    expect(code(() => s.addBytes(0x802f, new Uint8Array(1)))).toBeUndefined();
    expect(code(() => s.addBytes(0x8030, new Uint8Array(1)))).toBe('E_USAGE'); // 0x20 + 0x10 slots
    expect(code(() => s.addBytes(0x10000, new Uint8Array(1)))).toBe('E_USAGE');
    expect(code(() => s.addBytes(-1, new Uint8Array(1)))).toBe('E_USAGE');
    expect(code(() => s.addBytes(1.5, new Uint8Array(1)))).toBe('E_USAGE');
  });

  it('refuses values that do not fit their width', () => {
    const s = new FwCfgItems(0x20, undefined, 'none');
    expect(code(() => s.addU16(0x04, 0x10000))).toBe('E_USAGE');
    expect(code(() => s.addU16(0x04, -1))).toBe('E_USAGE');
    expect(code(() => s.addU32(0x04, 2 ** 32))).toBe('E_USAGE');
    expect(code(() => s.addU64(0x04, 1n << 64n))).toBe('E_USAGE');
    expect(code(() => s.addU64(0x04, 2 ** 53))).toBe('E_USAGE');
    expect(s.get(0x04)).toBeUndefined();
    s.addU64(0x04, (1n << 64n) - 1n);
    expect(s.get(0x04)!.data.every((b) => b === 0xff)).toBe(true);
  });

  it('refuses data in a resizable buffer', () => {
    const s = new FwCfgItems(0x20, undefined, 'none');
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
    expect(code(() => s.addFile('opt/r', new Uint8Array(new Resizable(4, { maxByteLength: 8 }))))).toBe('E_USAGE');
  });

  it('traces like QEMU: the typed add event first, then fw_cfg_add_bytes', () => {
    const { trace, calls } = recorder();
    const s = new FwCfgItems(0x20, trace, 'x86');
    s.addU16(0x0b, 7);
    s.addString(0x8000, 'x');
    expect(calls).toEqual([
      ['fw_cfg_add_i16', 0x0b, 'initdr_size', 7],
      ['fw_cfg_add_bytes', 0x0b, 'initdr_size', 2],
      ['fw_cfg_add_string', 0x8000, 'acpi_tables', 'x'],
      ['fw_cfg_add_bytes', 0x8000, 'acpi_tables', 2],
    ]);
  });
});

describe('fw_cfg item store: files (spec §9.4, §9.6)', () => {
  it('creates the directory with the first file and keeps items under their renumbered keys', () => {
    const s = new FwCfgItems(0x20, undefined, 'none');
    expect(s.get(0x19)).toBeUndefined();
    const c = new Uint8Array([3]);
    const a = new Uint8Array([1]);
    s.addFile('opt/c', c);
    expect(s.get(0x19)!.data.length).toBe(2052);
    expect(s.keyOf('opt/c')).toBe(0x20);
    s.addFile('opt/a', a);
    expect(s.keyOf('opt/a')).toBe(0x20);
    expect(s.keyOf('opt/c')).toBe(0x21);
    expect(s.get(0x20)!.data).toBe(a);
    expect(s.get(0x21)!.data).toBe(c);
    expect(s.get(0x22)).toBeUndefined();
    expect(s.keyOf('opt/b')).toBeUndefined();
    expect(s.listFiles()).toEqual([
      { name: 'opt/a', key: 0x20, size: 1, writable: false },
      { name: 'opt/c', key: 0x21, size: 1, writable: false },
    ]);
  });

  it('traces the insertion index', () => {
    const { trace, calls } = recorder();
    const s = new FwCfgItems(0x20, trace, 'none');
    s.addFile('b', new Uint8Array(5));
    s.addFile('a', new Uint8Array(7));
    expect(calls).toEqual([
      ['fw_cfg_add_file', 0, 0, 'b', 5],
      ['fw_cfg_add_file', 0, 0, 'a', 7],
    ]);
  });

  it('keeps a writable file with its callbacks, and a failed add changes nothing', () => {
    const s = new FwCfgItems(0x20, undefined, 'none');
    const onWrite = (): void => {};
    const onSelect = (): void => {};
    s.addFile('etc/vmgenid_addr', new Uint8Array(8), { writable: true, onWrite, onSelect });
    const item = s.get(0x20)!;
    expect(item.writable).toBe(true);
    expect(item.onWrite).toBe(onWrite);
    expect(item.onSelect).toBe(onSelect);
    expect(code(() => s.addFile('etc/vmgenid_addr', new Uint8Array(1)))).toBe('E_DUPLICATE');
    expect(s.get(0x20)).toBe(item);
    expect(s.get(0x21)).toBeUndefined();
  });

  it('modifyFile replaces data and size, makes the item read-only and drops callbacks; adds absent names', () => {
    const s = new FwCfgItems(0x20, undefined, 'none');
    s.addFile('opt/w', new Uint8Array(8), { writable: true, onWrite: () => {}, onSelect: () => {} });
    const fresh = new Uint8Array([9, 9, 9]);
    s.modifyFile('opt/w', fresh);
    const item = s.get(0x20)!;
    expect(item).toMatchObject({ data: fresh, writable: false, onWrite: undefined, onSelect: undefined });
    const dir = new DataView(s.get(0x19)!.data.buffer);
    expect(dir.getUint32(4)).toBe(3);
    s.modifyFile('bootorder', new Uint8Array(2));
    expect(s.keyOf('bootorder')).toBe(0x20);
    expect(s.keyOf('opt/w')).toBe(0x21);
    expect(dir.getUint32(0)).toBe(2);
  });
});
