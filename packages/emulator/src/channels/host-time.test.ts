import { createManualClock } from '@unitrace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGuestClock } from '../guest-clock.js';
import { HostTimeMap } from './host-time.js';

const BOOT = 7_000_000_123;

/** The definition, in exact integers: the earliest host ns at which floor((h − boot) · hz / 1e9) ≥ t. */
function reference(boot: number, hz: number, ticks: number): number {
  const t = BigInt(ticks);
  const h = BigInt(hz);
  return boot + Number((t * 1_000_000_000n + h - 1n) / h);
}

function clockAt(hz: number) {
  const host = createManualClock(BOOT);
  const clock = createGuestClock({ hz, hostClock: host });
  return { host, clock };
}

describe('HostTimeMap', () => {
  it('is the guest clock mapping: ⌈t / hz⌉ seconds after boot, for 1 GHz, 2.4 GHz, 3 GHz and 1 kHz', () => {
    for (const hz of [1e9, 2.4e9, 3e9, 1000]) {
      const { clock } = clockAt(hz);
      const map = new HostTimeMap(clock);
      for (const t of [0, 1, 2, 3, 999, 1000, 12_345_678, 2 ** 40 + 7]) {
        expect(map.hostNs(t)).toBe(reference(clock.bootNs, hz, t));
      }
    }
    // By hand: 2.4 GHz is 5/12 ns per tick, so 5 ticks end at ⌈25/12⌉ = 3 ns and 12 ticks at exactly 5 ns.
    const { clock } = clockAt(2.4e9);
    const map = new HostTimeMap(clock);
    expect(map.hostNs(5) - clock.bootNs).toBe(3);
    expect(map.hostNs(12) - clock.bootNs).toBe(5);
  });

  it('agrees with GuestClock.toHostNs and the definition for any whole-kHz rate and any tick count a clock can show', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 5000 }), (khz, where, near) => {
        const hz = khz * 1000;
        const { clock } = clockAt(hz);
        const map = new HostTimeMap(clock);
        // The clock is exact below 2^53 ns and 2^53 ticks; look anywhere below that, and near small values.
        const lastByNs = (BigInt(Number.MAX_SAFE_INTEGER - clock.bootNs) * BigInt(hz)) / 1_000_000_000n;
        const last = Math.min(Number(lastByNs), Number.MAX_SAFE_INTEGER);
        for (const ticks of [Math.floor(where * last), near, Math.max(0, last - near)]) {
          expect(map.hostNs(ticks)).toBe(reference(clock.bootNs, hz, ticks));
          expect(map.hostNs(ticks)).toBe(clock.toHostNs(ticks));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('follows a reset only when snapshotted again', () => {
    const { host, clock } = clockAt(1e9);
    const map = new HostTimeMap(clock);
    const before = map.hostNs(10);
    host.advance(5000);
    clock.reset();
    expect(map.hostNs(10)).toBe(before);
    map.snapshot();
    expect(map.hostNs(10)).toBe(before + 5000);
  });
});
