import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { traceSpy } from '../../test/support/trace-spy.js';
import type { AccessHandlers, AccessSize } from './handlers.js';
import { type IoBusTrace, createIoBus } from './io-bus.js';

function setUp() {
  const trace = traceSpy<IoBusTrace>();
  const faults: Array<[unknown, string]> = [];
  const bus = createIoBus({ trace, onFault: (err, owner) => faults.push([err, owner]) });
  return { bus, trace, faults };
}

/** A range that logs accesses and reads back `0x10 * offset + size`. */
function logging(sizes: AccessSize[], log: string[]): AccessHandlers {
  return {
    sizes,
    read: (offset, size) => {
      log.push(`r${offset}/${size}`);
      return 0x10 * offset + size;
    },
    write: (offset, size, value) => {
      log.push(`w${offset}/${size}=${value.toString(16)}`);
    },
  };
}

describe('IoBus registration', () => {
  it('throws E_STATE for overlapping claims, naming both owners, and accepts adjacent ones', () => {
    const { bus } = setUp();
    bus.register(0x510, 2, 'fw_cfg', { sizes: [1, 2] });
    bus.register(0x514, 8, 'fw_cfg-dma', { sizes: [4] });
    bus.register(0x512, 2, 'between', { sizes: [1] });
    let err: unknown;
    try {
      bus.register(0x50f, 2, 'intruder', { sizes: [1] });
    } catch (e) {
      err = e;
    }
    expect(isTraceError(err, 'E_STATE')).toBe(true);
    expect((err as Error).message).toBe('io ports 0x50f-0x510 of intruder overlaps 0x510-0x511 already claimed by fw_cfg');
    expect(() => bus.register(0x51b, 1, 'last-dma-port', { sizes: [1] })).toThrow(/fw_cfg-dma/);
    expect(bus.ranges().map((r) => r.owner)).toEqual(['fw_cfg', 'fw_cfg-dma', 'between']);
  });

  it.each([
    [0xffff, 2, [1]],
    [0, 0, [1]],
    [-1, 2, [1]],
    [1.5, 2, [1]],
    [0, 1, []],
    [0, 1, [3]],
  ])('refuses the claim base %s length %s sizes %j', (base, length, sizes) => {
    const { bus } = setUp();
    expect(() => bus.register(base, length, 'dev', { sizes: sizes as AccessSize[] })).toThrow(
      expect.objectContaining({ code: 'E_STATE' }),
    );
  });

  it('accepts the last port', () => {
    const { bus } = setUp();
    bus.register(0xffff, 1, 'top', { sizes: [1], read: () => 0x42 });
    expect(bus.read(0xffff, 1)).toBe(0x42);
  });
});

describe('IoBus accesses', () => {
  it('dispatches a multi-byte access once, to the range holding its first port, at its offset', () => {
    const { bus, trace } = setUp();
    const log: string[] = [];
    bus.register(0x510, 2, 'fw_cfg', logging([1, 2], log));
    bus.write(0x510, 2, 0x1_0019);
    expect(bus.read(0x511, 1)).toBe(0x11);
    expect(bus.read(0x510, 2)).toBe(0x02);
    expect(log).toEqual(['w0/2=19', 'r1/1', 'r0/2']);
    expect(trace.calls).toEqual([
      ['io_write', 'fw_cfg', 0x510, 2, 0x19],
      ['io_read', 'fw_cfg', 0x511, 1, 0x11],
      ['io_read', 'fw_cfg', 0x510, 2, 0x02],
    ]);
    expect(bus.stats().devices).toEqual({ fw_cfg: { reads: 2, writes: 1 } });
  });

  it('reads unassigned ports as all ones of the width and drops writes, tracing and counting both', () => {
    const { bus, trace } = setUp();
    expect([bus.read(0x80, 1), bus.read(0x80, 2), bus.read(0x80, 4)]).toEqual([0xff, 0xffff, 0xffffffff]);
    bus.write(0x80, 1, 0x1234);
    expect(trace.calls).toEqual([
      ['io_unassigned_read', 0x80, 1],
      ['io_unassigned_read', 0x80, 2],
      ['io_unassigned_read', 0x80, 4],
      ['io_unassigned_write', 0x80, 1, 0x34],
    ]);
    expect(bus.stats()).toMatchObject({ unassignedReads: 3, unassignedWrites: 1, invalidAccesses: 0 });
  });

  it('treats a width the range does not accept, or an access running past its end, as unassigned', () => {
    const { bus, trace } = setUp();
    const log: string[] = [];
    bus.register(0x511, 1, 'data', logging([1], log));
    bus.register(0x514, 8, 'dma', logging([4], log));
    expect(bus.read(0x511, 2)).toBe(0xffff);
    bus.write(0x511, 4, 1);
    expect(bus.read(0x51a, 4)).toBe(0xffffffff);
    expect(bus.read(0x518, 4)).toBe(0x44);
    expect(log).toEqual(['r4/4']);
    expect(trace.calls.slice(0, 3)).toEqual([
      ['io_invalid_access', 'data', 0x511, 2, false],
      ['io_invalid_access', 'data', 0x511, 4, true],
      ['io_invalid_access', 'dma', 0x51a, 4, false],
    ]);
    expect(bus.stats()).toMatchObject({ invalidAccesses: 3, devices: { data: { reads: 0, writes: 0 } } });
  });

  it('treats a range without a read or write handler as refusing that direction', () => {
    const { bus } = setUp();
    bus.register(0x60, 1, 'wo', { sizes: [1], write: () => {} });
    expect(bus.read(0x60, 1)).toBe(0xff);
    expect(bus.stats().invalidAccesses).toBe(1);
  });

  it('takes the low 16 bits of a port and truncates values to the width', () => {
    const { bus } = setUp();
    const log: string[] = [];
    bus.register(0x70, 4, 'dev', logging([1, 2, 4], log));
    bus.write(0x10070, 1, 0x1ff);
    bus.write(0x70, 2, -1);
    bus.write(0x70, 4, 2 ** 32 + 5);
    expect(log).toEqual(['w0/1=ff', 'w0/2=ffff', 'w0/4=5']);
  });

  it('normalises what a handler returns', () => {
    const { bus } = setUp();
    const values: unknown[] = [0x1234, -1, 0x1_0000_0001n, 'x', undefined];
    let i = 0;
    bus.register(0x90, 4, 'odd', { sizes: [1, 2, 4], read: () => values[i++] as number });
    expect([bus.read(0x90, 1), bus.read(0x90, 2), bus.read(0x90, 4), bus.read(0x90, 2), bus.read(0x90, 4)]).toEqual([
      0x34, 0xffff, 1, 0xffff, 0xffffffff,
    ]);
  });

  it('turns a throwing handler into all ones and a reported fault', () => {
    const { bus, faults } = setUp();
    const boom = new Error('device bug');
    bus.register(0xa0, 1, 'buggy', {
      sizes: [1],
      read: () => {
        throw boom;
      },
      write: () => {
        throw boom;
      },
    });
    expect(bus.read(0xa0, 1)).toBe(0xff);
    bus.write(0xa0, 1, 1);
    expect(faults).toEqual([
      [boom, 'buggy'],
      [boom, 'buggy'],
    ]);
    expect(bus.stats().faults).toBe(2);
  });

  it('survives a fault reporter that throws', () => {
    const bus = createIoBus({
      trace: traceSpy<IoBusTrace>(),
      onFault: () => {
        throw new Error('reporter bug');
      },
    });
    bus.register(0xa0, 1, 'buggy', {
      sizes: [1],
      read: () => {
        throw new Error('device bug');
      },
    });
    expect(bus.read(0xa0, 1)).toBe(0xff);
  });
});
