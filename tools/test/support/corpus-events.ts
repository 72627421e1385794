// Test helper: a catalog with one real QEMU event for every argument type of the corpus (spec §8.2), and values.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ArgValue, type EventDecl, eventLine, parseTraceEvents } from '@unitrace/core';
import { CORPUS } from './trace-files.js';

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name === 'trace-events' ? [path] : [];
    });
}

/** Every corpus event (disabled ones left out), in path and file order. */
export function corpusEvents(): EventDecl[] {
  return walk(CORPUS).flatMap((file) => parseTraceEvents(readFileSync(file, 'latin1'), file).events.filter((e) => !e.disabled));
}

/**
 * For each distinct raw argument type text of the corpus, the first event that uses it, plus the first `(void)`
 * event with `""` and the first without any format. Returns the events and the catalog text declaring them.
 */
export function eventsOfEveryType(): { events: EventDecl[]; types: string[]; text: string } {
  const all = corpusEvents();
  const chosen = new Map<string, EventDecl>();
  const types = new Set<string>();
  for (const e of all) {
    for (const a of e.args) {
      if (types.has(a.type.text)) continue;
      types.add(a.type.text);
      chosen.set(e.name, e);
    }
  }
  const voidEvent = all.find((e) => e.args.length === 0 && e.format === '""')!;
  const noFormat = all.find((e) => e.format === '')!;
  chosen.set(voidEvent.name, voidEvent);
  chosen.set(noFormat.name, noFormat);
  const events = [...chosen.values()];
  return { events, types: [...types].sort(), text: events.map((e) => `${eventLine(e)}\n`).join('') };
}

/** A small deterministic generator (xorshift32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 || 1;
  }
  next(): number {
    let s = this.#s;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    this.#s = s >>> 0;
    return this.#s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  u64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
}

const EDGES = [0n, 1n, -1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
const STRING_BYTES = [0x27, 0x22, 0x5c, 0x09, 0x0a, 0x0d, 0x00, 0x7f, 0x80, 0xc3, 0xa9, 0xff, 0x20, 0x41, 0x7a, 0x25];

/**
 * Values for one record of `e`: edge and random integers (small ones where a `*` width may read them), pointers
 * (NULL sometimes), and byte strings full of quotes, escapes, NUL and non-ASCII bytes (NULL sometimes).
 */
export function valuesFor(e: EventDecl, rng: Rng): ArgValue[] {
  const star = e.format.includes('*');
  return e.args.map((a) => {
    if (a.type.kind === 'string') {
      if (rng.int(10) === 0) return null;
      const n = rng.int(24);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = rng.int(3) === 0 ? STRING_BYTES[rng.int(STRING_BYTES.length)] : 0x20 + rng.int(0x5f);
      return b;
    }
    if (a.type.kind === 'pointer') return rng.int(6) === 0 ? null : rng.int(2) === 0 ? 0x55d925bd9490n + BigInt(rng.int(4096)) : rng.u64();
    if (star) return BigInt(rng.int(41) - 20);
    return rng.int(2) === 0 ? EDGES[rng.int(EDGES.length)] : rng.u64();
  });
}
