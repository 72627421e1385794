import { describe, expect, it } from 'vitest';
import { describeId } from './describe-id.js';

describe('describeId', () => {
  it('prints host ids in decimal, up to the last id below the guest window', () => {
    expect(describeId(0n)).toBe('0');
    expect(describeId(42n)).toBe('42');
    expect(describeId(2n ** 63n - 1n)).toBe('9223372036854775807');
  });

  it('prints guest-window and reserved ids as 16 hex digits', () => {
    expect(describeId(2n ** 63n)).toBe('0x8000000000000000');
    expect(describeId(2n ** 63n + 2n ** 32n + 3n)).toBe('0x8000000100000003');
    expect(describeId(2n ** 64n - 1n)).toBe('0xffffffffffffffff');
    expect(describeId(2n ** 64n - 2n)).toBe('0xfffffffffffffffe');
  });

  it('falls back to decimal outside u64', () => {
    expect(describeId(-1n)).toBe('-1');
    expect(describeId(2n ** 64n)).toBe('18446744073709551616');
  });
});
