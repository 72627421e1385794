import { describe, expect, it } from 'vitest';
import { GUEST_ID_BASE, guestBase, type IdRange, validateRanges } from './id-ranges.js';

const TOP = 2n ** 64n;

function guest(name: string, base: bigint, count: number, line = 1): IdRange {
  return { name, kind: 'guest', base, count, pinned: true, location: { file: 'te', line, column: 1 }, includeChain: [{ file: 'root', line: 4, column: 1 }] };
}

function host(count: number): IdRange {
  return { name: 'host', kind: 'host', base: 0n, count, pinned: false, location: { file: 'te' } };
}

const codes = (ranges: IdRange[]) => validateRanges(ranges).map((d) => `${d.code}@${d.location.line ?? '-'}`);

describe('guestBase (DESIGN.md §IDs)', () => {
  it('is 2^63 + k * 2^32', () => {
    expect(GUEST_ID_BASE).toBe(2n ** 63n);
    expect(guestBase(0)).toBe(0x8000_0000_0000_0000n);
    expect(guestBase(1)).toBe(0x8000_0001_0000_0000n);
    expect(guestBase(0x10)).toBe(0x8000_0010_0000_0000n);
  });

  it('refuses a negative or fractional index', () => {
    expect(() => guestBase(-1)).toThrow(RangeError);
    expect(() => guestBase(1.5)).toThrow(RangeError);
  });
});

describe('validateRanges', () => {
  it('accepts the host and computed guests side by side', () => {
    expect(codes([host(5000), guest('a', guestBase(0), 2 ** 32), guest('b', guestBase(1), 7)])).toEqual([]);
  });

  it('limits the host to fewer than 2^31 events', () => {
    expect(codes([host(2 ** 31 - 1)])).toEqual([]);
    expect(codes([host(2 ** 31)])).toEqual(['E_ID_EXHAUSTED@-']);
  });

  it('limits a guest to 2^32 events', () => {
    expect(codes([guest('a', guestBase(0), 2 ** 32 + 1)])).toEqual(['E_ID_EXHAUSTED@1']);
  });

  it('keeps guests inside [2^63, 2^64 - 2)', () => {
    expect(codes([guest('low', GUEST_ID_BASE - 1n, 1)])).toEqual(['E_ID_RANGE@1']);
    expect(codes([guest('edge', TOP - 2n - 5n, 5)])).toEqual([]);
    expect(codes([guest('huge', TOP + 10n, 1)])).toEqual(['E_ID_RANGE@1']);
  });

  it('never lets a range hold a reserved id', () => {
    const [dropped] = validateRanges([guest('d', TOP - 2n - 5n, 6)]);
    expect(dropped).toMatchObject({ code: 'E_ID_RANGE' });
    expect(dropped!.message).toContain('0xfffffffffffffffe');
    const [header] = validateRanges([guest('h', TOP - 1n, 1)]);
    expect(header!.message).toContain('0xffffffffffffffff');
  });

  it('refuses overlapping ranges at the later one, pinned or computed, and names the other', () => {
    const ds = validateRanges([host(1), guest('a', guestBase(0), 3, 1), guest('b', guestBase(0) + 2n, 1, 2)]);
    expect(ds.map((d) => [d.code, d.location.line])).toEqual([['E_ID_RANGE', 2]]);
    expect(ds[0]!.message).toContain("'a'");
    expect(ds[0]!.includeChain).toEqual([{ file: 'root', line: 4, column: 1 }]);
  });

  it('lets adjacent and empty ranges be', () => {
    expect(codes([guest('a', guestBase(0), 3, 1), guest('b', guestBase(0) + 3n, 3, 2), guest('c', guestBase(0) + 1n, 0, 3)])).toEqual([]);
  });
});
