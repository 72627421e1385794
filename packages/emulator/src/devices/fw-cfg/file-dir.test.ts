import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { FileDirectory, compareFileNames, encodeFileName } from './file-dir.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Decodes the directory by the §9.4 layout, independently of the class. */
function decode(bytes: Uint8Array): { count: number; entries: { size: number; select: number; reserved: number; name: string }[] } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(0, false);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const at = 4 + 64 * i;
    const field = bytes.subarray(at + 8, at + 64);
    const nul = field.indexOf(0);
    entries.push({
      size: v.getUint32(at, false),
      select: v.getUint16(at + 4, false),
      reserved: v.getUint16(at + 6, false),
      name: new TextDecoder().decode(field.subarray(0, nul)),
    });
  }
  return { count, entries };
}

function add(dir: FileDirectory, name: string, size: number): number {
  return dir.insert(name, encodeFileName(name), size);
}

describe('file directory (spec §9.4)', () => {
  it('has a fixed length of 4 + 64 × slots, all zero when empty', () => {
    expect(new FileDirectory(0x20).bytes.length).toBe(2052);
    const small = new FileDirectory(0x10);
    expect(small.bytes.length).toBe(1028);
    expect(small.bytes.every((b) => b === 0)).toBe(true);
  });

  it('stores big-endian count, size and select, and a NUL-padded name', () => {
    const dir = new FileDirectory(0x20);
    add(dir, 'etc/boot-fail-wait', 0x01020304);
    const b = dir.bytes;
    expect([...b.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
    expect([...b.subarray(4, 8)]).toEqual([1, 2, 3, 4]);
    expect([...b.subarray(8, 10)]).toEqual([0x00, 0x20]);
    expect([...b.subarray(10, 12)]).toEqual([0, 0]);
    expect(new TextDecoder().decode(b.subarray(12, 12 + 18))).toBe('etc/boot-fail-wait');
    expect(b.subarray(12 + 18, 68).every((x) => x === 0)).toBe(true);
    expect(b.subarray(68).every((x) => x === 0)).toBe(true);
  });

  it('keeps entries sorted and renumbers select keys when a name is inserted before others', () => {
    const dir = new FileDirectory(0x20);
    expect(add(dir, 'opt/c', 3)).toBe(0);
    expect(add(dir, 'opt/a', 1)).toBe(0);
    expect(add(dir, 'opt/b', 2)).toBe(1);
    expect(add(dir, 'bootorder', 9)).toBe(0);
    expect(decode(dir.bytes)).toEqual({
      count: 4,
      entries: [
        { size: 9, select: 0x20, reserved: 0, name: 'bootorder' },
        { size: 1, select: 0x21, reserved: 0, name: 'opt/a' },
        { size: 2, select: 0x22, reserved: 0, name: 'opt/b' },
        { size: 3, select: 0x23, reserved: 0, name: 'opt/c' },
      ],
    });
    expect([0, 1, 2, 3].map((i) => dir.nameAt(i))).toEqual(['bootorder', 'opt/a', 'opt/b', 'opt/c']);
  });

  it('sorts by unsigned bytes like strcmp: upper case first, prefixes first, UTF-8 after ASCII', () => {
    const dir = new FileDirectory(0x20);
    for (const n of ['etc/a', 'é', 'etc/B', 'opt/x', 'opt', 'z']) add(dir, n, 0);
    expect(decode(dir.bytes).entries.map((e) => e.name)).toEqual(['etc/B', 'etc/a', 'opt', 'opt/x', 'z', 'é']);
    expect(compareFileNames(enc('a'), enc('ab'))).toBeLessThan(0);
    expect(compareFileNames(enc('\u00ff'), enc('a'))).toBeGreaterThan(0);
  });

  it('refuses a duplicate name with QEMU\'s message and changes nothing', () => {
    const dir = new FileDirectory(0x20);
    add(dir, 'opt/x', 1);
    const before = dir.bytes.slice();
    let caught: unknown;
    try {
      add(dir, 'opt/x', 2);
    } catch (e) {
      caught = e;
    }
    expect(isTraceError(caught, 'E_DUPLICATE')).toBe(true);
    expect((caught as Error).message).toBe('duplicate fw_cfg file name: opt/x');
    expect(dir.bytes).toEqual(before);
    expect(dir.count).toBe(1);
  });

  it('refuses an entry beyond its slots', () => {
    const dir = new FileDirectory(0x10);
    for (let i = 0; i < 0x10; i++) add(dir, `f${String(i).padStart(2, '0')}`, i);
    expect(() => add(dir, 'g', 0)).toThrow(/full/);
    expect(dir.count).toBe(0x10);
    expect(decode(dir.bytes).entries[15]).toEqual({ size: 15, select: 0x2f, reserved: 0, name: 'f15' });
  });

  it('accepts names of up to 55 bytes and refuses longer, empty or NUL-bearing ones', () => {
    const dir = new FileDirectory(0x10);
    const longest = 'opt/' + 'x'.repeat(51);
    add(dir, longest, 1);
    expect(decode(dir.bytes).entries[0].name).toBe(longest);
    expect(dir.bytes[4 + 8 + 55]).toBe(0);
    expect(() => encodeFileName(longest + 'y')).toThrow(/name too long \(max\. 55 char\)/);
    expect(() => encodeFileName('é'.repeat(28))).toThrow(/too long/); // 56 UTF-8 bytes
    expect(() => encodeFileName('')).toThrow(/empty/);
    expect(() => encodeFileName('a\0b')).toThrow(/NUL/);
  });

  it('finds names and rewrites sizes in place', () => {
    const dir = new FileDirectory(0x10);
    add(dir, 'b', 1);
    add(dir, 'a', 2);
    expect(dir.indexOf(enc('b'))).toBe(1);
    expect(dir.indexOf(enc('c'))).toBe(-1);
    dir.setSize(1, 0xdeadbeef);
    expect(decode(dir.bytes).entries[1].size).toBe(0xdeadbeef);
  });
});
