import { createManualClock, createMonotonicClock, isTraceError } from '@unitrace/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TSC_HZ, attachGuestClock, createGuestClock } from './guest-clock.js';

const BOOT = 1_000_000_000_000;

/** floor(e × hz / 1e9) and ceil(t × 1e9 / hz), in exact integer arithmetic. */
const refTicks = (e: number, hz: number): number => Number((BigInt(e) * BigInt(hz)) / 1_000_000_000n);
const refHostNs = (t: number, hz: number): number => {
  const num = BigInt(t) * 1_000_000_000n;
  const q = num / BigInt(hz);
  return Number(q * BigInt(hz) === num ? q : q + 1n);
};

function manualAt(hz: number) {
  const host = createManualClock(BOOT);
  return { host, clock: createGuestClock({ hz, hostClock: host }) };
}

describe('guest clock arithmetic', () => {
  it('counts host nanoseconds at the default 1 GHz, from the moment it was created', () => {
    const { host, clock } = manualAt(DEFAULT_TSC_HZ);
    expect(clock.bootNs).toBe(BOOT);
    expect(clock.ticks()).toBe(0);
    host.advance(12_345);
    expect(clock.ticks()).toBe(12_345);
    expect(clock.toHostNs(12_345)).toBe(BOOT + 12_345);
  });

  it('maps 2.4 GHz exactly: 12 ticks per 5 ns', () => {
    const { clock } = manualAt(2_400_000_000);
    expect(clock.ticksAt(BOOT + 1)).toBe(2);
    expect(clock.ticksAt(BOOT + 5)).toBe(12);
    // Tick 3 is first shown at +2 ns (4.8 → 4 ticks); at +1 ns the clock shows 2.
    expect(clock.toHostNs(3)).toBe(BOOT + 2);
    expect(clock.toHostNs(2)).toBe(BOOT + 1);
    expect(clock.toHostNs(12)).toBe(BOOT + 5);
  });

  it('maps 1 kHz exactly: one tick per ms', () => {
    const { clock } = manualAt(1000);
    expect(clock.ticksAt(BOOT + 999_999)).toBe(0);
    expect(clock.ticksAt(BOOT + 1_000_000)).toBe(1);
    expect(clock.toHostNs(7)).toBe(BOOT + 7_000_000);
  });

  it('stays exact where floor(e × hz / 1e9) in doubles is off by one', () => {
    // In doubles, 2606053440740 × 1e9 / 1e9 floors to …739; 18364402878415 × 12 / 5 is exactly 44074566908196.
    expect(Math.floor((2_606_053_440_740 * 1e9) / 1e9)).toBe(2_606_053_440_739);
    expect(manualAt(DEFAULT_TSC_HZ).clock.ticksAt(BOOT + 2_606_053_440_740)).toBe(2_606_053_440_740);
    expect(manualAt(2_400_000_000).clock.ticksAt(BOOT + 18_364_402_878_415)).toBe(44_074_566_908_196);
  });

  it('matches exact integer arithmetic for every whole-kHz frequency (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (khz, e) => {
          const hz = khz * 1000;
          const { clock } = manualAt(hz);
          const t = clock.ticksAt(BOOT + e);
          expect(t).toBe(refTicks(e, hz));
          const h = clock.toHostNs(t);
          expect(h - BOOT).toBe(refHostNs(t, hz));
          // The earliest host time showing t: it shows t there, and one ns earlier it showed less.
          expect(clock.ticksAt(h)).toBe(t);
          if (h > BOOT) expect(clock.ticksAt(h - 1)).toBeLessThan(t);
          expect(h).toBeLessThanOrEqual(BOOT + e);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never goes below 0 and treats negative ticks as boot time', () => {
    const { clock } = manualAt(DEFAULT_TSC_HZ);
    expect(clock.ticksAt(BOOT - 50)).toBe(0);
    expect(clock.toHostNs(-3)).toBe(BOOT);
    expect(clock.toHostNs(Number.NaN)).toBe(BOOT);
  });

  it.each([0, 999, 1500, 10_000_001_000, Number.NaN, 1e9 + 0.5])('refuses a frequency of %s Hz', (hz) => {
    let err: unknown;
    try {
      createGuestClock({ hz, hostClock: createManualClock(0) });
    } catch (e) {
      err = e;
    }
    expect(isTraceError(err, 'E_USAGE')).toBe(true);
  });
});

describe('reset and sharing', () => {
  it('sets the clock back to 0 now', () => {
    const { host, clock } = manualAt(DEFAULT_TSC_HZ);
    host.advance(5000);
    expect(clock.ticks()).toBe(5000);
    clock.reset();
    expect(clock.bootNs).toBe(BOOT + 5000);
    expect(clock.ticks()).toBe(0);
    host.advance(10);
    expect(clock.ticks()).toBe(10);
  });

  it('lets another view of the shared buffer read the same boot time but not reset it', () => {
    const host = createMonotonicClock();
    const clock = createGuestClock({ hostClock: host });
    const view = attachGuestClock(clock.shared);
    expect(view.hz).toBe(clock.hz);
    expect(view.bootNs).toBe(clock.bootNs);
    clock.reset();
    expect(view.bootNs).toBe(clock.bootNs);
    expect(() => view.reset()).toThrow(/only the machine/);
    // Same thread, two calibrations of one axis: readings agree within the bound the view reports.
    const a = clock.ticks();
    const b = view.ticks();
    const c = clock.ticks();
    expect(b).toBeGreaterThanOrEqual(a - view.axisErrorNs - 1);
    expect(b).toBeLessThanOrEqual(c + view.axisErrorNs + 1);
    expect(view.axisErrorNs).toBeLessThan(100_000);
  });
});
