// minLength: whole lines are written in chunks of at least minLength bytes, and at the end of every batch.
import { describe, expect, it } from 'vitest';
import { createStderrSink } from '../src/index.js';
import { testTracer } from './support/catalog.js';
import { createStreamDouble } from './support/stream-double.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function run(minLength: number | undefined, records: number, batches = 1): { chunks: string[]; all: string } {
  const { tracer, clock } = testTracer();
  const stream = createStreamDouble();
  tracer.addSink(createStderrSink(minLength === undefined ? { stream } : { stream, minLength }, { onError: () => {}, pid: 1, clock }));
  const ints = tracer.registry.lookup('ref_ints')!.index;
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < records; i++) tracer.emit(ints, [i, i, i, i, i, i, i, i]);
    tracer.deliver();
  }
  return { chunks: stream.chunks.map(text), all: stream.text() };
}

describe('minLength', () => {
  it('writes as soon as minLength bytes of whole lines are held, never splitting a line', () => {
    const { chunks, all } = run(200, 100);
    expect(all.split('\n').length - 1).toBe(100);
    expect(chunks.length).toBeGreaterThan(10);
    for (const [k, chunk] of chunks.entries()) {
      expect(chunk.endsWith('\n'), `chunk ${k} ends with a newline`).toBe(true);
      const withoutLast = chunk.slice(0, chunk.lastIndexOf('\n', chunk.length - 2) + 1);
      // It was written by the line that crossed the threshold, not later.
      expect(withoutLast.length, `chunk ${k} before its last line`).toBeLessThan(200);
      if (k < chunks.length - 1) expect(chunk.length, `chunk ${k}`).toBeGreaterThanOrEqual(200);
    }
  });

  it('with the default 64 KiB, a sync sink writes each batch once, at its end', () => {
    const { chunks } = run(undefined, 300, 3);
    expect(chunks.length).toBe(3);
    expect(chunks.every((c) => c.split('\n').length - 1 === 300)).toBe(true);
  });

  it('minLength 0 writes every line on its own', () => {
    const { chunks } = run(0, 25);
    expect(chunks.length).toBe(25);
    expect(chunks.every((c) => /^ref_ints [^\n]*\n$/.test(c))).toBe(true);
  });

  it('a line longer than minLength goes out whole, in one write', () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble();
    tracer.addSink(createStderrSink({ stream, minLength: 16 }, { onError: () => {}, pid: 1, clock }));
    tracer.emit(tracer.registry.lookup('ref_str')!.index, ['a'.repeat(400), 'b'.repeat(400)]);
    tracer.deliver();
    expect(stream.chunks.map(text)).toEqual([`ref_str s "${'a'.repeat(400)}" t ${'b'.repeat(400)}\n`]);
  });
});
