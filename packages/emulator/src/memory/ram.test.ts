import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RAM_BYTES, MAX_RAM_BYTES, createRam } from './ram.js';

describe('createRam', () => {
  it('defaults to 32 MiB of zeroed, shared memory', () => {
    const ram = createRam();
    expect(ram.size).toBe(32 * 1024 * 1024);
    expect(DEFAULT_RAM_BYTES).toBe(33_554_432);
    expect(ram.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(ram.bytes.buffer).toBe(ram.buffer);
    expect([ram.bytes[0], ram.bytes[ram.size - 1]]).toEqual([0, 0]);
  });

  it.each([0, -1, 1.5, Number.NaN, MAX_RAM_BYTES + 1, 2 ** 40])('refuses a size of %s bytes', (bytes) => {
    expect(() => createRam(bytes)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('caps RAM at 1 GiB', () => {
    expect(MAX_RAM_BYTES).toBe(2 ** 30);
    try {
      createRam(MAX_RAM_BYTES + 4096);
      expect.unreachable();
    } catch (err) {
      expect(isTraceError(err, 'E_USAGE')).toBe(true);
    }
  });
});

describe('bounds checks', () => {
  const ram = createRam(4096);

  it.each([
    [0, 4096, true],
    [4096, 0, true],
    [4095, 1, true],
    [4095, 2, false],
    [4096, 1, false],
    [0n, 4096, true],
    [4092n, 4, true],
    [4093n, 4, false],
    [2n ** 64n, 1, false],
    [2n ** 64n - 1n, 1, false],
    [-1n, 1, false],
    [-1, 1, false],
    [1.5, 1, false],
    [Number.NaN, 1, false],
    [Infinity, 0, false],
    [2 ** 53, 0, false],
    [0, -1, false],
    [0, 1.5, false],
    [0, Number.NaN, false],
    [0, Infinity, false],
    [0, 2 ** 60, false],
  ])('valid(%s, %s) is %s', (addr, length, ok) => {
    expect(ram.valid(addr, length)).toBe(ok);
  });

  it('never throws for hostile inputs and touches nothing', () => {
    const hostile: unknown[] = ['12', {}, null, undefined, Symbol('x'), [1], () => 1];
    for (const h of hostile) {
      expect(ram.valid(h as number, 1)).toBe(false);
      expect(ram.read(h as number, 1)).toBeUndefined();
      expect(ram.write(h as number, Uint8Array.of(1))).toBe(false);
      expect(ram.fill(h as number, 1, 1)).toBe(false);
      expect(ram.valid(0, h as number)).toBe(false);
      expect(ram.write(0, h as Uint8Array)).toBe(false);
    }
    expect(ram.bytes.every((b) => b === 0)).toBe(true);
  });
});

describe('DMA', () => {
  it('writes, reads and fills whole ranges only', () => {
    const ram = createRam(64);
    expect(ram.write(60, Uint8Array.of(1, 2, 3, 4))).toBe(true);
    expect([...ram.read(60n, 4)!]).toEqual([1, 2, 3, 4]);
    expect(ram.write(61, Uint8Array.of(9, 9, 9, 9))).toBe(false);
    expect([...ram.bytes.subarray(60)]).toEqual([1, 2, 3, 4]);
    expect(ram.fill(62, 3, 7)).toBe(false);
    expect(ram.fill(62, 2, 0x1ff)).toBe(true);
    expect([...ram.bytes.subarray(60)]).toEqual([1, 2, 0xff, 0xff]);
    expect(ram.fill(0, 64)).toBe(true);
    expect(ram.bytes.every((b) => b === 0)).toBe(true);
  });

  it('reads into a caller buffer when it is big enough, and refuses one that is not', () => {
    const ram = createRam(16);
    ram.write(0, Uint8Array.of(5, 6, 7));
    const into = new Uint8Array(8);
    expect(ram.read(0, 3, into)).toBe(into);
    expect([...into.subarray(0, 4)]).toEqual([5, 6, 7, 0]);
    expect(ram.read(0, 3, new Uint8Array(2))).toBeUndefined();
    const copy = ram.read(0, 3)!;
    copy[0] = 99;
    expect(ram.bytes[0]).toBe(5);
  });
});
