// The floor of figure 2: read the clock, store the same record with typed-array stores into a preallocated 64 KiB
// buffer, fs.writeSync each full chunk. What any tracer writing records on the calling thread cannot beat.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { threadCpuNs } from './cpu.js';
import { CLOCK, SHORT_STRING } from './host.js';

const CHUNK = 65536;
const TWO_32 = 4294967296;

/** Wall time and the writing thread's CPU time per event of one floor run. */
export interface FloorRun {
  readonly wallNs: number;
  readonly cpuNs: number;
}

/**
 * Creates `file` afresh (unlinked first: truncating a large file costs the next writes page-cache churn) and
 * writes `prefix` bytes, as long as the file header and mapping records a trace file starts with, so that the
 * records that follow sit at the same offsets (and page alignment) as in the sink's file.
 */
function openLikeTrace(file: string, prefix: number): number {
  rmSync(file, { force: true });
  const fd = openSync(file, 'w');
  writeSync(fd, new Uint8Array(prefix));
  return fd;
}

/** Writes `n` bench_four records (64 bytes each: id 0) to `file` after `prefix` bytes. */
export function floorFour(file: string, n: number, pid: number, prefix: number): FloorRun {
  const fd = openLikeTrace(file, prefix);
  const u32 = new Uint32Array(CHUNK / 4);
  let w = 0;
  const c0 = threadCpuNs();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (w + 16 > CHUNK / 4) {
      writeSync(fd, u32, 0, w * 4);
      w = 0;
    }
    const t = CLOCK.nowNs();
    const d = -i | 0;
    u32[w] = 1;
    u32[w + 1] = 0;
    u32[w + 2] = 0;
    u32[w + 3] = 0;
    u32[w + 4] = t >>> 0;
    u32[w + 5] = (t / TWO_32) >>> 0;
    u32[w + 6] = 56;
    u32[w + 7] = pid;
    u32[w + 8] = i >>> 0;
    u32[w + 9] = (i / TWO_32) >>> 0;
    u32[w + 10] = (i * 2) >>> 0;
    u32[w + 11] = ((i * 2) / TWO_32) >>> 0;
    u32[w + 12] = i & 0xffff;
    u32[w + 13] = 0;
    u32[w + 14] = d >>> 0;
    u32[w + 15] = d < 0 ? 0xffffffff : 0;
    w += 16;
  }
  writeSync(fd, u32, 0, w * 4);
  const wallNs = ((performance.now() - t0) * 1e6) / n;
  const cpuNs = (threadCpuNs() - c0) / n;
  closeSync(fd);
  return { wallNs, cpuNs };
}

/**
 * Writes `n` bench_str records (46 bytes: id 1, u32 length, the 10 bytes of SHORT_STRING) to `file` after `prefix`
 * bytes. Records are not 4-byte aligned, so the header goes through a DataView and the text through byte stores.
 */
export function floorStr(file: string, n: number, pid: number, prefix: number): FloorRun {
  const fd = openLikeTrace(file, prefix);
  const bytes = new Uint8Array(CHUNK);
  const v = new DataView(bytes.buffer);
  const s = SHORT_STRING;
  const len = s.length;
  const size = 32 + 4 + len;
  let o = 0;
  const c0 = threadCpuNs();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (o + size > CHUNK) {
      writeSync(fd, bytes, 0, o);
      o = 0;
    }
    const t = CLOCK.nowNs();
    v.setUint32(o, 1, true);
    v.setUint32(o + 4, 0, true);
    v.setUint32(o + 8, 1, true);
    v.setUint32(o + 12, 0, true);
    v.setUint32(o + 16, t >>> 0, true);
    v.setUint32(o + 20, (t / TWO_32) >>> 0, true);
    v.setUint32(o + 24, size - 8, true);
    v.setUint32(o + 28, pid, true);
    v.setUint32(o + 32, len, true);
    for (let k = 0; k < len; k++) bytes[o + 36 + k] = s.charCodeAt(k);
    o += size;
  }
  writeSync(fd, bytes, 0, o);
  const wallNs = ((performance.now() - t0) * 1e6) / n;
  const cpuNs = (threadCpuNs() - c0) / n;
  closeSync(fd);
  return { wallNs, cpuNs };
}
