import { describe, expect, it } from 'vitest';
import { ChunkWriter, type ChunkWriterEvents } from './chunk-writer.js';
import type { Output, WriteDone } from './output.js';

/** An output that takes `accept` bytes per call, then fails every later call with `code`. */
function partialOutput(accept: number[], code: string): Output & { taken: number[] } {
  const taken: number[] = [];
  const next = (length: number): number => {
    const n = accept.shift();
    if (n === undefined) throw Object.assign(new Error(code), { code });
    taken.push(Math.min(n, length));
    return Math.min(n, length);
  };
  return {
    label: 'test',
    isTTY: false,
    taken,
    writeSync: (_b, _s, length) => next(length),
    writeAsync(_b, _s, length, done: WriteDone) {
      queueMicrotask(() => {
        try {
          done(null, next(length));
        } catch (err) {
          done(err as NodeJS.ErrnoException, 0);
        }
      });
    },
    close() {},
  };
}

function recorder() {
  const log = { lost: [] as Array<[number, number]>, failed: [] as string[], wrote: 0, idle: [] as boolean[] };
  const events: ChunkWriterEvents = {
    lost: (r, n) => log.lost.push([r, n]),
    failed: (e) => log.failed.push((e as NodeJS.ErrnoException).code!),
    wrote: (n) => (log.wrote += n),
    idle: (ok) => log.idle.push(ok),
  };
  return { log, events };
}

/** Three 10-byte lines: record, notice of 5, record. */
function fill(w: ChunkWriter): void {
  const b = w.pending;
  b.out.pushAscii('record 01\n');
  b.endLine(0);
  b.out.pushAscii('notice 05\n');
  b.endLine(5);
  b.out.pushAscii('record 02\n');
  b.endLine(0);
}

describe('ChunkWriter loss accounting', () => {
  it('sync: a write that fails after 15 bytes loses the line it cut and every later one', () => {
    const { log, events } = recorder();
    const w = new ChunkWriter(partialOutput([15], 'ENOSPC'), true, 64, events);
    fill(w);
    w.submit();
    expect(log).toMatchObject({ wrote: 15, failed: ['ENOSPC'], lost: [[1, 5]] });
    expect(w.pending.length).toBe(0);
  });

  it('sync: a write that fails after exactly one line loses the two after it', () => {
    const { log, events } = recorder();
    const w = new ChunkWriter(partialOutput([10], 'EPIPE'), true, 64, events);
    fill(w);
    w.submit();
    expect(log.lost).toEqual([[1, 5]]);
    const { log: log2, events: events2 } = recorder();
    const w2 = new ChunkWriter(partialOutput([20], 'EPIPE'), true, 64, events2);
    fill(w2);
    w2.submit();
    expect(log2.lost).toEqual([[1, 0]]);
  });

  it('async: partial writes continue where they stopped; a failure counts from there and reports idle(false)', async () => {
    const { log, events } = recorder();
    const out = partialOutput([4, 7, 2], 'EBADF');
    const w = new ChunkWriter(out, false, 64, events);
    fill(w);
    await w.flush();
    expect(out.taken).toEqual([4, 7, 2]);
    expect(log).toMatchObject({ wrote: 13, failed: ['EBADF'], lost: [[1, 5]], idle: [false] });
  });

  it('async: a complete write reports idle(true) and loses nothing', async () => {
    const { log, events } = recorder();
    const w = new ChunkWriter(partialOutput([100], 'EBADF'), false, 64, events);
    fill(w);
    await w.flush();
    expect(log).toMatchObject({ wrote: 30, failed: [], lost: [], idle: [true] });
  });
});
