// sinkConformance for the simple backend, with a writer thread and with sync writes, each with a real stall.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { typedValue, type Sink, type SinkEnv, type SourceInfo } from '@unitrace/core';
import { sinkConformance, type ConformanceHarness, type ReadBack, type ReadBackRecord } from '@unitrace/core/testing';
import { createSimpleSink, type SimpleSink, type SimpleSinkOptions } from '../src/index.js';
import { openSimpleTrace } from '../src/reader.js';
import { tempDir } from './support.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;
const utf8 = new TextDecoder();

/** Forwards everything to `sink` and remembers the described sources, so the reader gets their declarations. */
function recording(sink: SimpleSink, sources: SourceInfo[]): Sink {
  return {
    name: sink.name,
    describe: (s) => {
      sources.push(s);
      sink.describe(s);
    },
    write: (b) => sink.write(b),
    dropped: (c, t) => sink.dropped(c, t),
    flush: () => sink.flush(),
    flushSync: () => sink.flushSync(),
    close: () => sink.close(),
    stats: () => sink.stats(),
  };
}

/** Reads a trace file back with our reader, arguments typed as InMemorySink types them. */
async function readBack(file: string, sources: readonly SourceInfo[]): Promise<ReadBack> {
  const trace = await openSimpleTrace(file, { events: sources.flatMap((s) => s.events) });
  const records: ReadBackRecord[] = [];
  let dropped = 0;
  for await (const r of trace.records()) {
    if (r.kind === 'dropped') {
      dropped += Number(r.args![0]);
      continue;
    }
    const args: Record<string, number | bigint | boolean | string> = {};
    r.decl!.args.forEach((a, i) => {
      const v = typedValue(a.type, r.args![i]);
      args[a.name] = v instanceof Uint8Array ? utf8.decode(v) : v;
    });
    records.push({ name: r.name, id: r.id, timestampNs: Number(r.timestampNs), args });
  }
  return { records, dropped };
}

function harness(env: SinkEnv, options: SimpleSinkOptions): ConformanceHarness & { simple: SimpleSink } {
  const file = tmp.file(`conformance-${serial++}.bin`);
  const sources: SourceInfo[] = [];
  const simple = createSimpleSink({ file, ...options }, env);
  return { simple, sink: recording(simple, sources), readBack: () => readBack(file, sources) };
}

/** A sink whose file is a FIFO nobody reads until release(): the writer thread blocks in write(2) for real. */
function stalledFifo(env: SinkEnv): ConformanceHarness {
  const fifo = tmp.file(`fifo-${serial++}`);
  execFileSync('mkfifo', [fifo]);
  // A reader that never reads lets the sink's blocking open succeed; the pipe then fills and writes block.
  const idle = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const sources: SourceInfo[] = [];
  const sink = createSimpleSink({ file: fifo, maxLength: 8192, minLength: 0 }, env);
  let collected: Promise<Buffer> | undefined;
  return {
    sink: recording(sink, sources),
    release: () => {
      collected = new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        const stream = createReadStream(fifo);
        stream.on('open', () => closeSync(idle));
        stream.on('data', (c) => chunks.push(c as Buffer));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      });
    },
    readBack: async () => {
      const copy = tmp.file(`fifo-copy-${serial++}.bin`);
      writeFileSync(copy, await collected!);
      return readBack(copy, sources);
    },
  };
}

/** A sync sink whose trace file is off until release(): records pile up in the buffer as in QEMU's ring. */
function stalledOff(env: SinkEnv): ConformanceHarness {
  const h = harness(env, { sync: true, maxLength: 8192, minLength: 0 });
  h.simple.setTraceFileEnabled(false);
  return { ...h, release: () => h.simple.setTraceFileEnabled(true) };
}

sinkConformance({
  name: 'simple (writer thread)',
  create: (env) => harness(env, {}),
  createOverloaded: stalledFifo,
});

sinkConformance({
  name: 'simple (sync)',
  create: (env) => harness(env, { sync: true }),
  createOverloaded: stalledOff,
});
