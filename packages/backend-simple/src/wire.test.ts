import { describe, expect, it } from 'vitest';
import { countRingRecords, ringRecordBytes } from './wire.js';

/** A 128-byte ring holding, from position 100 and wrapping: a mapping (20 + 3), an event (8 + 32), a dropped record of 5. */
function ring(): Uint8Array {
  const linear = new Uint8Array(23 + 40 + 40);
  const v = new DataView(linear.buffer);
  v.setUint32(16, 3, true); // mapping name length
  v.setUint32(23, 1, true); // event type
  v.setUint32(23 + 24, 32, true);
  v.setUint32(63, 1, true); // dropped record
  v.setUint32(63 + 8, 0xfffffffe, true);
  v.setUint32(63 + 12, 0xffffffff, true);
  v.setUint32(63 + 24, 32, true);
  v.setUint32(63 + 32, 5, true);
  const r = new Uint8Array(128);
  for (let i = 0; i < linear.length; i++) r[(100 + i) % 128] = linear[i];
  return r;
}

describe('ring walking (error path of the writer thread)', () => {
  it('measures records across the wrap', () => {
    const r = ring();
    expect(ringRecordBytes(r, 100)).toBe(23);
    expect(ringRecordBytes(r, 123)).toBe(40); // its length field is at 147 % 128
    expect(ringRecordBytes(r, (100 + 63) % 128)).toBe(40);
  });

  it('counts events and sums dropped counts, ignoring mappings and a cut record', () => {
    expect(countRingRecords(ring(), 100, 103)).toEqual({ events: 1, droppedCounts: 5 });
    expect(countRingRecords(ring(), 100, 100)).toEqual({ events: 1, droppedCounts: 0 });
  });
});
