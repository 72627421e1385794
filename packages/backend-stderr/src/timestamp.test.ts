import { describe, expect, it } from 'vitest';
import { ByteWriter } from '@unitrace/core';
import { StampWriter, civilFromDays, measureEpochOffsetUs, nsToUs } from './timestamp.js';

const NONE = new Uint8Array(0);

function stamp(style: 'iso' | 'tid' | 'pid', epochOffsetUs: number, timeNs: number, pid = 4242): string {
  const out = new ByteWriter(64);
  new StampWriter(style, epochOffsetUs, NONE, NONE).write(out, timeNs, pid);
  return Buffer.from(out.subarray()).toString('latin1');
}

describe('civilFromDays', () => {
  it('agrees with Date for days from 1600 to 2400 and around the epoch', () => {
    const ymd = new Int32Array(3);
    const days = [-135140, -1, 0, 1, 59, 60, 11016, 20290, 20291, 2932896];
    for (let d = -135000; d < 157000; d += 97) days.push(d);
    for (const d of days) {
      civilFromDays(d, ymd);
      const date = new Date(d * 86_400_000);
      expect([ymd[0], ymd[1], ymd[2]], `day ${d}`).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
    }
  });
});

describe('nsToUs', () => {
  it('rounds down to whole microseconds, up to 2^53 ns and below zero', () => {
    expect(nsToUs(999)).toBe(0);
    expect(nsToUs(1000)).toBe(1);
    expect(nsToUs(1_001_500)).toBe(1001);
    expect(nsToUs(2 ** 53 - 1)).toBe(9007199254740);
    expect(nsToUs(-1)).toBe(-1);
    expect(nsToUs(-1000)).toBe(-1);
  });
});

describe('StampWriter iso (QEMU ≥ 10.1 -msg timestamp=on)', () => {
  const at = (iso: string, usec: number): number => Date.parse(iso) * 1000 + usec;

  it('prints YYYY-MM-DDTHH:MM:SS.ffffffZ and a space (spec §6 example)', () => {
    expect(stamp('iso', at('2025-07-21T18:43:28Z', 89797), 0)).toBe('2025-07-21T18:43:28.089797Z ');
  });

  it('leaves the fraction out when the microseconds are exactly zero', () => {
    expect(stamp('iso', at('2025-07-21T18:43:28Z', 0), 0)).toBe('2025-07-21T18:43:28Z ');
    expect(stamp('iso', at('2025-07-21T18:43:28Z', 0), 999)).toBe('2025-07-21T18:43:28Z ');
    expect(stamp('iso', at('2025-07-21T18:43:28Z', 0), 1000)).toBe('2025-07-21T18:43:28.000001Z ');
  });

  it('adds the record time to the offset, and agrees with Date across days, months and leap years', () => {
    const offset = at('2024-02-28T23:59:59Z', 999_999);
    expect(stamp('iso', offset, 1000)).toBe('2024-02-29T00:00:00Z ');
    for (let k = 0; k < 200; k++) {
      const ns = k * 7_777_777_777_777 + 123_456_000;
      const us = offset + nsToUs(ns);
      const ms = Math.floor(us / 1000);
      const frac = us % 1_000_000;
      const want = new Date(ms).toISOString().slice(0, 19) + (frac === 0 ? '' : '.' + String(frac).padStart(6, '0')) + 'Z ';
      expect(stamp('iso', offset, ns)).toBe(want);
    }
  });

  it('recomputes the cached second when time moves on (one writer, many records)', () => {
    const w = new StampWriter('iso', at('2025-12-31T23:59:59Z', 0), NONE, NONE);
    const out = new ByteWriter(256);
    for (const ns of [0, 500_000_000, 1_000_000_000, 1_000_000_000, 61_000_002_000]) w.write(out, ns, 1);
    expect(Buffer.from(out.subarray()).toString('latin1')).toBe(
      '2025-12-31T23:59:59Z 2025-12-31T23:59:59.500000Z 2026-01-01T00:00:00Z 2026-01-01T00:00:00Z 2026-01-01T00:01:00.000002Z ',
    );
  });
});

describe('StampWriter tid and pid (QEMU 6.x–10.0 and 2.x)', () => {
  it('prints <id>@<sec>.<usec:06>: with no space before the name (spec §6 example)', () => {
    expect(stamp('tid', 1608130130_441188 - 5, 5000, 719585)).toBe('719585@1608130130.441188:');
    expect(stamp('pid', 1608130130_000000, 7000, 1)).toBe('1@1608130130.000007:');
  });

  it('zero-pads the microseconds to 6 digits and follows pid changes', () => {
    const w = new StampWriter('tid', 1_000_000, NONE, NONE);
    const out = new ByteWriter(256);
    w.write(out, 0, 7);
    w.write(out, 1_000, 7);
    w.write(out, 1_000, 8);
    w.write(out, 999_999_000, 8);
    expect(Buffer.from(out.subarray()).toString('latin1')).toBe('7@1.000000:7@1.000001:8@1.000001:8@1.999999:');
  });
});

describe('measureEpochOffsetUs', () => {
  it('maps the clock reading taken now to the wall clock now, to within a few milliseconds', () => {
    const monoNs = 123_456_789_000;
    const offset = measureEpochOffsetUs(() => monoNs);
    const wallUs = nsToUs(monoNs) + offset;
    expect(Math.abs(wallUs - Date.now() * 1000)).toBeLessThan(50_000);
  });
});
