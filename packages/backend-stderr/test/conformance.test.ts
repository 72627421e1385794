// The sink conformance kit against the stderr sink: a temp file read back by parsing lines, and a stalled stream.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { sinkConformance } from '@unitrace/core/testing';
import { createStderrSink } from '../src/index.js';
import { readBackText } from './support/read-lines.js';
import { createStreamDouble } from './support/stream-double.js';

const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

sinkConformance({
  name: 'stderr',
  create(env) {
    const file = join(dir, `out-${n++}.log`);
    const sink = createStderrSink({ file }, env);
    return { sink, readBack: async () => readBackText(readFileSync(file)) };
  },
  createOverloaded(env) {
    // Async mode, a 4 KiB bound, and a destination that takes the first chunk and then answers nothing.
    const stream = createStreamDouble({ stalled: true });
    const sink = createStderrSink({ stream, sync: false, minLength: 1024, maxLength: 4096 }, env);
    return { sink, readBack: async () => readBackText(stream.bytes()), release: () => stream.release() };
  },
});
