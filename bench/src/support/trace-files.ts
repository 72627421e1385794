// Simpletrace files for the reading figures: a real run of the tracer, and large files made by repetition.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createSimpleSink } from '@unitrace/backend-simple';
import { fireFour, hostTracing } from './host.js';

/** Writes `n` bench_four events through the generated tracepoint, the tracer and backend-simple (sync). */
export async function writeBenchTrace(file: string, n: number): Promise<void> {
  const h = hostTracing(['bench_four']);
  const sink = createSimpleSink({ file, sync: true }, h.env);
  h.tracer.addSink(sink);
  fireFour(h.tp, n);
  await h.tracer.close();
  if (h.errors.length > 0) throw h.errors[0];
  if (sink.stats().records !== n) throw new Error(`bench trace: ${sink.stats().records} of ${n} records written`);
}

/**
 * Writes a trace of about `bytes` bytes quickly: the header and mappings of an empty bench trace (`emptyTrace`),
 * then one 4 MiB block of 64-byte bench_four records written over and over, timestamps rising. Returns the
 * number of event records.
 */
export function writeRepeatedTrace(emptyTrace: string, file: string, bytes: number): number {
  const head = readFileSync(emptyTrace);
  const per = 65536; // records per block: 4 MiB
  const block = new Uint8Array(per * 64);
  const u32 = new Uint32Array(block.buffer);
  const pid = process.pid;
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    writeSync(fd, head);
    const total = Math.floor((bytes - head.length) / 64);
    let ts = 1_000_000;
    while (written < total) {
      const n = Math.min(per, total - written);
      for (let i = 0; i < n; i++) {
        const w = i * 16;
        const k = written + i;
        ts += 1000;
        u32[w] = 1;
        u32[w + 1] = 0;
        u32[w + 2] = 0;
        u32[w + 3] = 0;
        u32[w + 4] = ts >>> 0;
        u32[w + 5] = (ts / 4294967296) >>> 0;
        u32[w + 6] = 56;
        u32[w + 7] = pid;
        u32[w + 8] = k >>> 0;
        u32[w + 9] = 0;
        u32[w + 10] = (k * 2) >>> 0;
        u32[w + 11] = 0;
        u32[w + 12] = k & 0xffff;
        u32[w + 13] = 0;
        u32[w + 14] = -k >>> 0;
        u32[w + 15] = k === 0 ? 0 : 0xffffffff;
      }
      writeSync(fd, block, 0, n * 64);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
