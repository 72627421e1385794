import { describe, expect, it } from 'vitest';
import { DeferredWork, type DeferredTask, deferredWorkOf } from './deferred-work.js';

/** A task with `units` of work that does `perStep` of them per step. */
function task(units: number, perStep: number): DeferredTask & { left: number; steps: number; drains: number } {
  const t = {
    left: units,
    steps: 0,
    drains: 0,
    get pending(): boolean {
      return t.left > 0;
    },
    step(): boolean {
      t.steps++;
      t.left = Math.max(0, t.left - perStep);
      return t.left > 0;
    },
    drain(): void {
      t.drains++;
      t.left = 0;
    },
  };
  return t;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DeferredWork', () => {
  it('steps only the tasks that have work, and says whether any remains', () => {
    const w = new DeferredWork();
    const a = task(3, 2);
    const b = task(0, 1);
    w.add(a);
    w.add(b);
    expect(w.pending).toBe(true);
    expect(w.step()).toBe(true);
    expect(w.step()).toBe(false);
    expect([a.steps, b.steps, w.pending]).toEqual([2, 0, false]);
  });

  it('drains every task with work at once', () => {
    const w = new DeferredWork();
    const a = task(100, 1);
    const b = task(0, 1);
    w.add(a);
    w.add(b);
    w.drain();
    expect([a.left, a.drains, b.drains]).toEqual([0, 1, 0]);
  });

  it('gets the work done from the event loop when nothing else runs it', async () => {
    const w = new DeferredWork();
    const a = task(5, 1);
    w.add(a);
    w.wake();
    w.wake(); // a second wake before the first ran schedules nothing more
    for (let i = 0; i < 10 && a.pending; i++) await turn();
    expect([a.left, a.steps, a.drains]).toEqual([0, 5, 0]);
    w.close();
  });

  it('is found in a device context only when the machine put it there', () => {
    const w = new DeferredWork();
    expect(deferredWorkOf({ deferred: w })).toBe(w);
    expect(deferredWorkOf({})).toBeUndefined();
    expect(deferredWorkOf({ deferred: { step: () => false } })).toBeUndefined();
  });
});
