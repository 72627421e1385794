import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchQueue, MAX_QUEUED_BATCHES } from './batch-queue.js';

/** A batch whose every byte says which batch it is and where in it the byte sits. */
function batch(tag: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (tag * 31 + i) & 0xff);
}

describe('BatchQueue', () => {
  it('gives batches back oldest first, with their bytes, offsets and arrival times', () => {
    const q = new BatchQueue(100);
    expect(q.push(batch(1, 40), 0, 40, 10)).toBe(true);
    expect(q.push(batch(2, 30), 0, 30, 20)).toBe(true);
    expect(q.size).toBe(2);
    expect([q.offset, q.length, q.arrivalNs]).toEqual([0, 40, 10]);
    expect(q.bytes.subarray(q.start, q.start + 40)).toEqual(batch(1, 40));
    q.shift();
    expect([q.length, q.arrivalNs]).toEqual([30, 20]);
    expect(q.bytes.subarray(q.start, q.start + 30)).toEqual(batch(2, 30));
    q.shift();
    expect(q.size).toBe(0);
  });

  it('refuses a batch that does not fit, and changes nothing when it does', () => {
    const q = new BatchQueue(100);
    expect(q.push(batch(1, 60), 0, 60, 1)).toBe(true);
    expect(q.push(batch(2, 41), 0, 41, 2)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.push(batch(3, 40), 0, 40, 3)).toBe(true);
    expect(q.push(batch(4, 1), 0, 1, 4)).toBe(false);
    expect(q.bytes.subarray(q.start, q.start + 60)).toEqual(batch(1, 60));
  });

  it('wraps to the start of the ring once the oldest batch has left it, never over a queued batch', () => {
    const q = new BatchQueue(100);
    q.push(batch(1, 50), 0, 50, 1);
    q.push(batch(2, 40), 0, 40, 2);
    // 10 bytes left at the end, and the first batch still holds the start.
    expect(q.push(batch(3, 20), 0, 20, 3)).toBe(false);
    q.shift();
    expect(q.push(batch(3, 20), 0, 20, 3)).toBe(true);
    expect(q.push(batch(4, 30), 0, 30, 4)).toBe(true);
    // The ring is now [3: 0..20][4: 20..50][2: 50..90]: nothing more fits before batch 2.
    expect(q.push(batch(5, 1), 0, 1, 5)).toBe(false);
    const seen: number[] = [];
    while (q.size > 0) {
      seen.push(q.arrivalNs);
      expect(q.bytes.subarray(q.start, q.start + q.length)).toEqual(batch(q.arrivalNs, q.length));
      q.shift();
    }
    expect(seen).toEqual([2, 3, 4]);
  });

  it('keeps no bytes of a batch written at a non-zero offset, but keeps its place in the order', () => {
    const q = new BatchQueue(64);
    expect(q.push(batch(1, 64), 8, 64, 1)).toBe(true);
    expect(q.push(batch(2, 64), 0, 64, 2)).toBe(true);
    expect([q.offset, q.length]).toEqual([8, 64]);
    q.shift();
    expect(q.bytes.subarray(q.start, q.start + 64)).toEqual(batch(2, 64));
  });

  it(`holds at most ${MAX_QUEUED_BATCHES} batches however small`, () => {
    const q = new BatchQueue(1 << 20);
    for (let i = 0; i < MAX_QUEUED_BATCHES; i++) expect(q.push(batch(i, 32), 0, 32, i)).toBe(true);
    expect(q.push(batch(0, 32), 0, 32, 0)).toBe(false);
    q.shift();
    expect(q.push(batch(0, 32), 0, 32, 0)).toBe(true);
  });

  it('never lets a queued batch be overwritten, whatever the pushes and shifts (against a model queue)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 120 }).map((n) => ({ push: n })), fc.constant({ push: -1 })), { maxLength: 200 }),
        (ops) => {
          const capacity = 128;
          const q = new BatchQueue(capacity);
          const model: Array<{ tag: number; length: number }> = [];
          let bytesHeld = 0;
          ops.forEach((op, tag) => {
            if (op.push < 0) {
              if (model.length === 0) return;
              const head = model.shift()!;
              expect(q.bytes.subarray(q.start, q.start + head.length)).toEqual(batch(head.tag, head.length));
              bytesHeld -= head.length;
              q.shift();
              return;
            }
            const ok = q.push(batch(tag, op.push), 0, op.push, tag);
            // Whatever it refuses, it refuses for lack of room: an empty queue takes any batch up to its capacity.
            if (model.length === 0) expect(ok).toBe(true);
            if (ok) {
              model.push({ tag, length: op.push });
              bytesHeld += op.push;
            }
            expect(bytesHeld).toBeLessThanOrEqual(capacity);
            expect(q.size).toBe(model.length);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
