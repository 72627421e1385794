import { describe, expect, it } from 'vitest';
import { CONTROL_BLOCK_BYTES, CTL_F64_ADDR, CTL_U64_VALUE, CTL_VALUE, createControlBlock, describeGuestError } from './exit-protocol.js';

describe('control block', () => {
  it('fits one cache line, with the float and 64-bit slots clear of the int32 slots', () => {
    const c = createControlBlock();
    expect(c.buffer.byteLength).toBe(64);
    expect(CONTROL_BLOCK_BYTES).toBe(64);
    expect(CTL_F64_ADDR * 8).toBeGreaterThan(CTL_VALUE * 4);
    c.i32.fill(-1, 0, CTL_VALUE + 1);
    c.f64[CTL_F64_ADDR] = 2 ** 40 + 0.5;
    c.u64[CTL_U64_VALUE] = 2n ** 64n - 1n;
    expect(c.i32[CTL_VALUE]).toBe(-1);
    expect(c.f64[CTL_F64_ADDR]).toBe(2 ** 40 + 0.5);
    expect(c.u64[CTL_U64_VALUE]).toBe(2n ** 64n - 1n);
  });
});

describe('describeGuestError', () => {
  it('keeps name, message and stack of an Error', () => {
    const err = new TypeError('bad');
    expect(describeGuestError(err)).toEqual({ name: 'TypeError', message: 'bad', stack: err.stack });
  });

  it('reduces anything else to strings without trusting it', () => {
    expect(describeGuestError('s')).toEqual({ name: 'Error', message: 'guest threw string: s' });
    expect(describeGuestError(undefined)).toEqual({ name: 'Error', message: 'guest threw undefined: ?' });
    expect(describeGuestError({ name: 3, message: { toString: () => 'obj' } })).toEqual({ name: '3', message: 'obj' });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(describeGuestError(hostile).message).toMatch(/cannot be read/);
    const sneaky = {
      message: {
        toString() {
          throw new Error('no');
        },
      },
    };
    // The message cannot be turned into a string, so the object itself is.
    expect(describeGuestError(sneaky)).toEqual({ name: 'Error', message: '[object Object]' });
  });
});
