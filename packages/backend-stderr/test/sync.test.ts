// sync: true writes before write() returns; sync: false queues behind one write in flight; close is idempotent.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStderrSink } from '../src/index.js';
import { emitSamples, SAMPLES, testTracer } from './support/catalog.js';
import { readBackText } from './support/read-lines.js';
import { createStreamDouble } from './support/stream-double.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sync: true (the default)', () => {
  it('the lines are in the file when write() returns, without awaiting anything', () => {
    const { tracer, clock } = testTracer();
    const file = join(dir, 'sync.log');
    const sink = createStderrSink({ file }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    emitSamples(tracer, clock, 2);
    tracer.deliver();
    expect(readBackText(readFileSync(file)).records.length).toBe(SAMPLES.length * 2);
    expect(sink.stats()).toEqual({ records: SAMPLES.length * 2, dropped: 0, bytes: readFileSync(file).length, errors: 0 });
    void tracer.close();
  });
});

describe('sync: false', () => {
  it('starts a write on the next turn of the event loop, then gathers later lines until it completes', async () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble({ stalled: true });
    tracer.addSink(createStderrSink({ stream, sync: false }, { onError: () => {}, pid: 1, clock }));
    emitSamples(tracer, clock);
    tracer.deliver();
    expect(stream.chunks.length).toBe(0);
    await nextTurn();
    expect(stream.chunks.length).toBe(1);
    emitSamples(tracer, clock);
    tracer.deliver();
    await nextTurn();
    expect(stream.chunks.length).toBe(1);
    stream.release();
    await tracer.flush();
    expect(stream.chunks.length).toBe(2);
    expect(readBackText(stream.bytes()).records.length).toBe(SAMPLES.length * 2);
    await tracer.close();
  });

  it('flushSync hands over what is pending before it returns, even with a write in flight', async () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble({ stalled: true });
    const sink = createStderrSink({ stream, sync: false }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    emitSamples(tracer, clock);
    tracer.deliver();
    await nextTurn();
    emitSamples(tracer, clock);
    tracer.deliver();
    sink.flushSync();
    expect(stream.chunks.length).toBe(2);
    expect(readBackText(stream.bytes()).records.length).toBe(SAMPLES.length * 2);
    stream.release();
    await tracer.close();
    expect(stream.chunks.length).toBe(2);
  });

  it('flushSync right after write finds the lines still pending: the exit path loses nothing', () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble({ stalled: true });
    const sink = createStderrSink({ stream, sync: false }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    emitSamples(tracer, clock);
    tracer.flushSync();
    expect(readBackText(stream.bytes()).records.length).toBe(SAMPLES.length);
  });

  it('writes a file completely once flushed, and close is idempotent', async () => {
    const { tracer, clock } = testTracer();
    const file = join(dir, 'async.log');
    const sink = createStderrSink({ file, sync: false, minLength: 512 }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    emitSamples(tracer, clock, 50);
    await tracer.flush();
    expect(readBackText(readFileSync(file)).records.length).toBe(SAMPLES.length * 50);
    const first = sink.close();
    const second = sink.close();
    await Promise.all([first, second]);
    await sink.close();
    expect(sink.stats().records).toBe(SAMPLES.length * 50);
    await tracer.close();
  });

  it('close waits for the write in flight and for what is pending', async () => {
    const { tracer, clock } = testTracer();
    const stream = createStreamDouble({ stalled: true });
    const sink = createStderrSink({ stream, sync: false }, { onError: () => {}, pid: 1, clock });
    tracer.addSink(sink);
    emitSamples(tracer, clock);
    tracer.deliver();
    emitSamples(tracer, clock);
    let closed = false;
    const closing = tracer.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    stream.release();
    await closing;
    expect(readBackText(stream.bytes()).records.length).toBe(SAMPLES.length * 2);
  });
});
