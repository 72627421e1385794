// Glue for sinkConformance: read a trace back through our reader, typed by the declarations the sink was given.
import { expect } from 'vitest';
import type { ReadBack, ReadBackRecord } from '@unitrace/core/testing';
import type { EventDecl, Sink, SourceInfo } from '@unitrace/core';
import { readUstJson, DROPPED_RECORD_NAME } from '../../src/reader.js';
import type { Destination, WriteCallback } from '../../src/output/destination.js';
import { openDestination } from '../../src/output/destination.js';

/** A sink that passes every call through and remembers the sources described to it. */
export function recordingSink(sink: Sink, sources: SourceInfo[]): Sink {
  return {
    name: sink.name,
    describe: (s) => {
      sources.push(s);
      sink.describe(s);
    },
    write: (b) => sink.write(b),
    dropped: (c, t) => sink.dropped(c, t),
    flush: () => sink.flush(),
    flushSync: () => sink.flushSync?.(),
    close: () => sink.close(),
    stats: () => sink.stats!(),
  };
}

function findDecl(sources: readonly SourceInfo[], name: string): EventDecl {
  const colon = name.lastIndexOf(':');
  const provider = name.slice(0, colon);
  const event = name.slice(colon + 1);
  const decl = sources.find((s) => s.name === provider)?.events.find((e) => e.name === event);
  if (decl === undefined) throw new Error(`read back an event nobody described: ${name}`);
  return decl;
}

/**
 * Reads a trace with readUstJson and types each field as InMemorySink does, by declared type: at most 32-bit
 * integers as numbers, 64-bit integers and pointers as bigint, bool as boolean, strings as text.
 */
export async function readBack(file: string, sources: readonly SourceInfo[]): Promise<ReadBack> {
  const records: ReadBackRecord[] = [];
  let dropped = 0;
  for await (const rec of readUstJson(file)) {
    if (!('id' in rec)) {
      expect(rec.name).toBe(DROPPED_RECORD_NAME);
      dropped += rec.fields.count;
      continue;
    }
    const decl = findDecl(sources, rec.name);
    const args: Record<string, number | bigint | boolean | string> = {};
    for (const a of decl.args) {
      const v = rec.fields[a.name];
      if (a.type.kind === 'string') args[a.name] = v as string;
      else if (a.type.kind === 'pointer') args[a.name] = BigInt(v as string);
      else if (a.type.isBool) args[a.name] = v as boolean;
      else if (a.type.bits === 64) args[a.name] = BigInt(v as number | bigint);
      else args[a.name] = v as number;
    }
    records.push({ name: decl.name, id: BigInt(rec.id), timestampNs: Number(rec.timestamp), args });
  }
  return { records, dropped };
}

/** A file destination whose writes wait until `release()`: the output of an overloaded harness. */
export function stalledDestination(file: string): Destination & { release(): void } {
  const real = openDestination(file);
  let stalled = true;
  const waiting: Array<() => void> = [];
  return {
    name: real.name,
    positioned: real.positioned,
    write(buf, offset, length, position, cb: WriteCallback) {
      const go = (): void => real.write(buf, offset, length, position, cb);
      if (stalled) waiting.push(go);
      else go();
    },
    writeSync: (buf, offset, length, position) => real.writeSync(buf, offset, length, position),
    close: () => real.close(),
    release() {
      stalled = false;
      for (const go of waiting.splice(0)) go();
    },
  };
}
