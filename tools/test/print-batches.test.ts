// `unitrace print` formats records straight from the reader's batches into 64 KiB output chunks: what that path
// must get right besides the every-type corpus of print.test.ts, against the same Python reference (spec §5.4):
// changing pids, timestamps past 2^53 and backwards, a dropped record first, huge counts, escaped and longest
// strings, lines across chunk edges, and every kind of destination.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, REPO, tempDir } from './support/trace-files.js';

const tmp = tempDir('unitrace-print-batches-');
afterAll(() => tmp.cleanup());
const REF = join(import.meta.dirname, 'support', 'simpletrace-ref.py');

const CATALOG_TEXT = [
  't_none(void) ""',
  't_words(uint64_t a, int b, void *p) "a %" PRIu64 " b %d p %p"',
  't_str(const char *s, uint32_t n) "s %s n %u"',
  '',
].join('\n');
/** The catalog as the reference takes it: [name, [[type, arg], …]] in catalog order. */
const REF_EVENTS = [
  ['t_none', []],
  ['t_words', [['uint64_t', 'a'], ['int', 'b'], ['void *', 'p']]],
  ['t_str', [['const char *', 's'], ['uint32_t', 'n']]],
];

/** Little-endian trace bytes, written by hand from spec §5.2/§5.3. */
class Bytes {
  readonly parts: Buffer[] = [];
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.parts.push(b);
    return this;
  }
  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, v));
    this.parts.push(b);
    return this;
  }
  raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }
  /** A v4 event record (type word 1) or, with `typed` false, a v3 one. */
  record(id: bigint, ts: bigint, pid: number, payload: Buffer, typed = true): this {
    if (typed) this.u64(1n);
    return this.u64(id).u64(ts).u32(24 + payload.length).u32(pid).raw(payload);
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const word = (v: bigint): Buffer => new Bytes().u64(v).bytes();
const str = (b: Uint8Array): Buffer => new Bytes().u32(b.length).raw(b).bytes();

/** A small deterministic generator (xorshift32), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

interface Rec {
  readonly id: bigint;
  readonly ts: bigint;
  readonly pid: number;
  readonly payload: Buffer;
}

/** Records that exercise the fast path's corners; the first one is a dropped record. */
function records(): Rec[] {
  const next = rng(0xba7c4);
  const out: Rec[] = [{ id: 0xfffffffffffffffen, ts: 2n ** 53n + 1n, pid: 4294967295, payload: word(2n ** 64n - 2n) }];
  let ts = 2n ** 53n + 1n;
  const pids = [1, 4242, 4294967295, 65536];
  const strings = [new Uint8Array(0), Buffer.from("it's"), Buffer.from('say "hi"'), Buffer.from(`'"\\`), new Uint8Array(512).fill(0xff), Buffer.from('\t\n\r\x00\x1b[31m')];
  for (let i = 0; i < 6000; i++) {
    const r = next() % 100;
    // Mostly small steps; sometimes backwards, sometimes by more than 2^43 µs, sometimes by exactly nothing.
    if (r < 3) ts -= BigInt(next() % 5_000_000);
    else if (r < 5) ts += 2n ** 43n * 1000n + BigInt(next());
    else if (r < 8) ts += 0n;
    else ts += BigInt(1 + (next() % 3_000_000));
    ts = BigInt.asUintN(64, ts);
    const pid = pids[Math.floor(i / 700) % pids.length];
    const kind = next() % 4;
    if (i % 997 === 500) out.push({ id: 0xfffffffffffffffen, ts, pid, payload: word(BigInt(next()) << BigInt(next() % 33)) });
    else if (kind === 0) out.push({ id: 0n, ts, pid, payload: Buffer.alloc(0) });
    else if (kind === 1) {
      const w = (): bigint => (BigInt(next()) << 32n) | BigInt(next());
      out.push({ id: 1n, ts, pid, payload: Buffer.concat([word(w() >> BigInt(next() % 64)), word(-BigInt(next() % 9)), word(w())]) });
    } else {
      const s = next() % 3 === 0 ? strings[next() % strings.length] : Buffer.from('x'.repeat(next() % 200));
      out.push({ id: 2n, ts, pid, payload: Buffer.concat([str(s), word(BigInt(next()))]) });
    }
  }
  return out;
}

let catalog = '';
let v4 = '';
let v3 = '';
let expected = '';

beforeAll(() => {
  catalog = tmp.path('trace-events');
  writeFileSync(catalog, CATALOG_TEXT);
  const recs = records();
  const a = new Bytes().u64(0xffffffffffffffffn).u64(0xf2b177cb0aa429b4n).u64(4n);
  ['t_none', 't_words', 't_str'].forEach((name, id) => a.u64(0n).u64(BigInt(id)).u32(name.length).raw(Buffer.from(name)));
  for (const r of recs) a.record(r.id, r.ts, r.pid, r.payload);
  v4 = tmp.path('v4.simpletrace');
  writeFileSync(v4, a.bytes());
  // The same records in a version 3 file: no type words, ids are positions in the catalog.
  const b = new Bytes().u64(0xffffffffffffffffn).u64(0xf2b177cb0aa429b4n).u64(3n);
  for (const r of recs) b.record(r.id, r.ts, r.pid, r.payload, false);
  v3 = tmp.path('v3.simpletrace');
  writeFileSync(v3, b.bytes());
  const json = tmp.path('events.json');
  writeFileSync(json, JSON.stringify(REF_EVENTS));
  expected = execFileSync('python3', [REF, json, v4], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1');
}, 60_000);

describe('print from batches', { timeout: 60_000 }, () => {
  it('matches the Python reference byte for byte over many 64 KiB chunks', () => {
    expect(expected.length).toBeGreaterThan(10 * 64 * 1024);
    expect(expected.startsWith('Dropped_Event 0.000 pid=4294967295 num_events_dropped=0xfffffffffffffffe\n')).toBe(true);
    const r = cli(['print', catalog, v4]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ours = r.stdout.toString('latin1');
    if (ours !== expected) {
      const a = ours.split('\n');
      const b = expected.split('\n');
      const i = a.findIndex((l, k) => l !== b[k]);
      expect({ line: i + 1, ours: a[i] }).toEqual({ line: i + 1, ours: b[i] });
    }
    expect(ours).toBe(expected);
  });

  it('prints a version 3 file (no type words, positional ids) the same way', () => {
    const r = cli(['print', catalog, v3]);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString('latin1')).toBe(expected);
  });

  it('writes the same bytes to -o FILE, to stdout redirected to a file, and through a pipe', () => {
    const out = tmp.path('out.txt');
    expect(cli(['print', '-o', out, catalog, v4]).status).toBe(0);
    expect(readFileSync(out, 'latin1')).toBe(expected);
    const redirected = tmp.path('redirected.txt');
    const fd = openSync(redirected, 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'print', catalog, v4], { cwd: REPO, stdio: ['ignore', fd, 'pipe'] });
      expect(r.stderr.toString()).toBe('');
      expect(r.status).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(redirected, 'latin1')).toBe(expected);
  });

  it('--style log prints exact u64 counts of dropped records', () => {
    const r = cli(['print', '--style', 'log', catalog, v4]);
    expect(r.status).toBe(0);
    // 2^64 - 2, by hand.
    expect(r.stdout.toString('latin1').split('\n')[0]).toBe('unitrace: dropped 18446744073709551614 events');
  });
});
