// maxLength (async mode): the bytes held while the destination is busy are bounded; every line beyond is dropped,
// counted, and reported by one notice line as soon as there is room again.
import { describe, expect, it } from 'vitest';
import { createStderrSink } from '../src/index.js';
import { testTracer } from './support/catalog.js';
import { parseLines, readBackText } from './support/read-lines.js';
import { createStreamDouble } from './support/stream-double.js';

function overloaded(maxLength: number) {
  const { tracer, clock } = testTracer();
  const stream = createStreamDouble({ stalled: true });
  const sink = createStderrSink({ stream, sync: false, minLength: 0, maxLength }, { onError: () => {}, pid: 1, clock });
  tracer.addSink(sink);
  const ints = tracer.registry.lookup('ref_ints')!.index;
  const emit = (from: number, to: number): void => {
    for (let i = from; i < to; i++) tracer.emit(ints, [0, 0, 0, 0, i, 0, 0, 0]);
    tracer.deliver();
  };
  return { tracer, stream, sink, emit };
}

describe('maxLength', () => {
  it('holds at most maxLength bytes, drops and counts the rest, then reports them in order', async () => {
    const { tracer, stream, sink, emit } = overloaded(1000);
    emit(0, 500);
    const during = sink.stats();
    expect(during.dropped).toBeGreaterThan(400);
    expect(during.records + during.dropped).toBe(500);
    stream.release();
    await tracer.flush();
    emit(500, 510);
    await tracer.close();

    for (const chunk of stream.chunks.slice(1)) expect(chunk.length).toBeLessThanOrEqual(1000);
    const lines = parseLines(stream.bytes());
    const notices = lines.filter((l) => l.kind === 'notice');
    expect(notices.map((n) => n.count)).toEqual([during.dropped]);
    // The notice sits after the last line accepted before the drops and before the first line accepted after them.
    const at = lines.findIndex((l) => l.kind === 'notice');
    const a = Number(/ e (-?\d+) /.exec(lines[at - 1].text)![1]);
    const b = Number(/ e (-?\d+) /.exec(lines[at + 1].text)![1]);
    expect(b - a - 1).toBe(during.dropped);
    const back = readBackText(stream.bytes());
    expect(back.records.length + back.dropped).toBe(510);
  });

  it('reports drops at close even when no record follows them', async () => {
    const { tracer, stream, sink, emit } = overloaded(600);
    emit(0, 100);
    const dropped = sink.stats().dropped;
    expect(dropped).toBeGreaterThan(0);
    stream.release();
    await tracer.close();
    expect(readBackText(stream.bytes()).dropped).toBe(dropped);
  });

  it('accepts one line longer than maxLength into an empty buffer, so a small bound never starves long lines', async () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble();
    const sink = createStderrSink({ stream, sync: false, minLength: 0, maxLength: 64 }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    tracer.emit(tracer.registry.lookup('ref_str')!.index, ['z'.repeat(300), '']);
    await tracer.close();
    expect(sink.stats()).toMatchObject({ records: 1, dropped: 0 });
    expect(stream.text()).toBe(`ref_str s "${'z'.repeat(300)}" t \n`);
  });

  it('does not bound a sync sink: nothing waits, so nothing is dropped', async () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble({ stalled: true });
    const sink = createStderrSink({ stream, minLength: 0, maxLength: 64 }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    const ints = tracer.registry.lookup('ref_ints')!.index;
    for (let i = 0; i < 100; i++) tracer.emit(ints, [0, 0, 0, 0, i, 0, 0, 0]);
    await tracer.close();
    expect(sink.stats()).toMatchObject({ records: 100, dropped: 0 });
  });
});
