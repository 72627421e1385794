// Test helper: a guest of the fw_cfg trace channel written from the channel ABI, driving a real machine's fw_cfg
// device by DMA (handshake and batch encoders with optional lies), and a sink that checks ids and keeps nothing.
import { type Clock, catalogFromText, createRegistry, createTracer, recordId, type RecordBatch, type Sink } from '@unitrace/core';
import { createFwCfgChannel, createHypercallChannel, type FwCfgChannel, type TraceChannel } from '../../src/channels/index.js';
import { createFwCfg } from '../../src/devices/fw-cfg/fw-cfg.js';
import { FwCfgDriver } from '../../src/devices/fw-cfg/test-doubles.js';
import { TRACE_EVENTS_TEXT } from '../../src/generated/trace-catalog.js';
import type { Device } from '../../src/devices/device.js';
import { createMachine, type Machine } from '../../src/machine.js';
import { type DeferredWork, deferredWorkOf } from '../../src/vcpu/deferred-work.js';

/** The guest source `fw` of the test catalog; g_off is disabled by the rig (its records are filtered). */
export const GUEST: string = `g_void(void) ""
g_word(uint64_t v) "v %" PRIu64
g_str(const char *s, uint32_t n) "%s %u"
g_two(const char *a, const char *b) "%s %s"
g_off(int x) "%d"
`;
/** Per guest-local id: the argument kinds (w: 8-byte word, s: u32 length + bytes). */
export const ARGS: readonly string[] = ['', 'w', 'sw', 'ss', 'w'];
/** Guest RAM of the rig's machine, and where the test's guest keeps its DMA descriptor, buffer and state page. */
export const RAM: number = 1 << 16;
export const DESC = 0x1000;
export const BUF = 0x2000;
export const STATE_PAGE = 0x100;
/** Size of the records item: the largest batch the host takes. */
export const ITEM_BYTES = 16384;

/** A sink that keeps nothing: it checks every id and counts records and drops. */
export class CheckingSink implements Sink {
  readonly name = 'check';
  records = 0;
  drops = 0;
  outside = 0;
  constructor(readonly lo: bigint, readonly hi: bigint) {}
  describe(): void {}
  write(batch: RecordBatch): void {
    for (let i = 0; i < batch.count; i++) {
      const id = recordId(batch, i);
      if (id < this.lo || id >= this.hi) this.outside++;
      this.records++;
    }
  }
  dropped(count: number): void {
    this.drops += count;
  }
  flush = async (): Promise<void> => {};
  close = async (): Promise<void> => {};
}

/** What `rig()` may change: the host clock, more sinks and enabled events, the channel's batch queue. */
export interface RigOptions {
  /** The tracer's (and so the guest clock's) host clock; default CLOCK_MONOTONIC. */
  readonly clock?: Clock;
  /** Sinks attached after the checking sink. */
  readonly sinks?: readonly Sink[];
  /** Patterns enabled besides `g_*` (g_off stays off). */
  readonly enable?: readonly string[];
  /** The channel's `queueBytes` (default: the channel's own). */
  readonly queueBytes?: number;
}

/** A machine with fw_cfg and the `fw` channel, a checking sink on its tracer, and the test guest's DMA writes. */
export interface Rig {
  readonly machine: Machine;
  readonly channel: FwCfgChannel;
  readonly sink: CheckingSink;
  /** The machine's deferred work (what a worker vCPU's exits leave for later), as its devices see it. */
  readonly work: DeferredWork;
  /** Hands the tracer's pending records to the sink now. */
  readonly deliver: () => void;
  /** The raw SHA-256 of the `fw` source, as an honest handshake carries it. */
  readonly hash: Uint8Array;
  /** DMA-writes `bytes` into the item at `offset` (select, skip, write); returns the control word stored. */
  write(item: 'handshake' | 'records', bytes: Uint8Array, offset?: number): number;
  /** The same write, as if a worker vCPU's exit made it (the channel may queue a batch and decode it later). */
  writeFromWorker(item: 'handshake' | 'records', bytes: Uint8Array, offset?: number): number;
}

/** A fresh rig: catalog = the emulator's events + `fw`, every g_* event on but g_off, an io fw_cfg. */
export function rig(options: RigOptions = {}): Rig {
  const catalog = catalogFromText(`${TRACE_EVENTS_TEXT}include "guest" as fw\n`, 'emulator/trace-events', { readFile: () => GUEST });
  const registry = createRegistry(catalog);
  registry.enable('g_*');
  for (const pattern of options.enable ?? []) registry.enable(pattern);
  registry.setState(registry.lookup('g_off')!.index, false);
  const tracer = createTracer({ registry, exitFlush: false, ...(options.clock ? { clock: options.clock } : {}) });
  const source = registry.source('fw')!;
  const sink = new CheckingSink(source.base, source.base + BigInt(source.events.length));
  tracer.addSink(sink);
  for (const extra of options.sinks ?? []) tracer.addSink(extra);
  const fwCfg = createFwCfg({ variant: 'io' });
  const queue = options.queueBytes === undefined ? {} : { queueBytes: options.queueBytes };
  const channel = createFwCfgChannel({ fwCfg, source: 'fw', recordsBytes: ITEM_BYTES, ...queue });
  // A device that only looks: what deferred-work registry the machine hands its devices.
  let work: DeferredWork | undefined;
  const spy: Device = { name: 'deferred-spy', attach: (ctx) => (work = deferredWorkOf(ctx)), reset: () => {} };
  const machine = createMachine({ tracer, devices: [fwCfg, channel, spy], ramBytes: RAM });
  if (work === undefined) throw new Error('the machine gave its devices no deferred-work registry');
  const w = work;
  const ram = machine.ram.bytes;
  const driver = new FwCfgDriver(machine.io, 'io', 0x510, ram);
  const hash = Uint8Array.from(source.hash.match(/../g)!.map((h) => parseInt(h, 16)));
  const write = (item: 'handshake' | 'records', bytes: Uint8Array, offset = 0): number => {
    const key = fwCfg.keyOf(channel.items[item])!;
    ram.set(bytes.subarray(0, Math.min(bytes.length, RAM - BUF)), BUF);
    if (offset > 0) driver.dma(DESC, { control: ((key << 16) | 0x0c) >>> 0, length: offset, address: BUF });
    return driver.dma(DESC, { control: (((offset > 0 ? 0 : key) << 16) | (offset > 0 ? 0x10 : 0x18)) >>> 0, length: bytes.length, address: BUF });
  };
  return {
    machine,
    channel,
    sink,
    work: w,
    hash,
    deliver: () => tracer.deliver(),
    write,
    writeFromWorker(item, bytes, offset = 0) {
      w.inWorkerExit = true;
      try {
        return write(item, bytes, offset);
      } finally {
        w.inWorkerExit = false;
      }
    },
  };
}

/** A handshake, honest (`good`) or with one thing wrong. `page` is the state page address of a `page` handshake. */
export interface Handshake {
  readonly kind: 'good' | 'hash' | 'count' | 'page' | 'magic' | 'version' | 'batch' | 'partial';
  readonly page: number;
}

/** The 96-byte handshake block of the channel ABI (little-endian), with the fault `h` asks for. */
export function handshakeBytes(r: Rig, h: Handshake): Uint8Array {
  const b = new Uint8Array(96);
  const v = new DataView(b.buffer);
  v.setUint32(0, h.kind === 'magic' ? 0x53485456 : 0x53485455, true);
  v.setUint16(4, h.kind === 'version' ? 2 : 1, true);
  v.setUint16(6, 1, true); // transport: fw_cfg
  v.setUint32(8, h.kind === 'count' ? 6 : 5, true);
  v.setUint32(12, h.kind === 'batch' ? 8 : ITEM_BYTES, true);
  v.setBigUint64(16, h.kind === 'page' ? BigInt(h.page) : BigInt(STATE_PAGE), true);
  b.set(r.hash, 24);
  if (h.kind === 'hash') b[24] ^= 0x80;
  return b;
}

/** One guest record: local id (and a high word that must be 0), guest ticks, string lengths, and its lies. */
export interface Rec {
  readonly id: number;
  readonly idHigh: number;
  readonly ticks: number;
  readonly strings: readonly number[];
  /** Added to the record's length field (a lie). */
  readonly lieLength: number;
  /** Added to each string's length field (a string longer than its record or than 512 bytes). */
  readonly lieString: number;
}

/** One batch: records, jumps of the sequence and record index, the guest's own drop count, and a header lie. */
export interface Batch {
  readonly records: readonly Rec[];
  readonly seqJump: number;
  readonly recordJump: number;
  readonly dropped: number;
  readonly lie: 'none' | 'count' | 'bytes' | 'magic' | 'short-write' | 'offset' | 'huge';
}

/** Encodes a batch as a guest would, with the lies `b` asks for. */
export function batchBytes(b: Batch, seq: number, first: number): Uint8Array {
  const recs = b.records.map((r) => {
    const kinds = ARGS[r.id] ?? 'w';
    const parts: number[] = [];
    let si = 0;
    for (const k of kinds) {
      if (k === 'w') parts.push(...new Array(8).fill(7));
      else {
        const n = r.strings[si++] ?? 3;
        const lie = (n + r.lieString) >>> 0;
        parts.push(lie & 0xff, (lie >>> 8) & 0xff, (lie >>> 16) & 0xff, lie >>> 24, ...new Array(n).fill(0x61));
      }
    }
    const out = new Uint8Array(24 + parts.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, r.id, true);
    v.setUint32(4, r.idHigh, true);
    v.setBigUint64(8, BigInt(r.ticks), true);
    v.setUint32(16, (24 + parts.length + r.lieLength) >>> 0, true);
    out.set(parts, 24);
    return out;
  });
  const body = recs.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(32 + body);
  const v = new DataView(out.buffer);
  v.setUint32(0, b.lie === 'magic' ? 0x54425456 : 0x54425455, true);
  v.setUint32(4, (seq + b.seqJump) >>> 0, true);
  v.setUint32(8, b.lie === 'count' ? b.records.length + 3 : b.lie === 'huge' ? 0xffffffff : b.records.length, true);
  v.setUint32(12, b.lie === 'bytes' ? body + 8 : b.lie === 'huge' ? 0xfffffff0 : body, true);
  v.setUint32(16, b.dropped, true);
  v.setBigUint64(24, BigInt(Math.max(0, first + b.recordJump)), true);
  let p = 32;
  for (const r of recs) {
    out.set(r, p);
    p += r.length;
  }
  return out;
}

/**
 * The records a batch's header announces when the host can trust it (channel ABI: a batch is one whole DMA write
 * from offset 0 whose header gives its magic, its byte count exactly, a count those bytes can hold, and a record
 * index below 2^53); 0 when it cannot, as the host then counts the batch, not its records.
 */
export function headerCount(written: Uint8Array): number {
  if (written.length < 32 || written.length > ITEM_BYTES) return 0;
  const v = new DataView(written.buffer, written.byteOffset, written.length);
  const count = v.getUint32(8, true);
  const bytes = v.getUint32(12, true);
  const ok = v.getUint32(0, true) === 0x54425455 && bytes === written.length - 32 && count <= bytes / 24 && v.getUint32(28, true) < 2 ** 21;
  return ok ? count : 0;
}


/** A machine with the `fw` source on the hypercall channel (pc ports 0x5A0..), and the checking sink. */
export interface HypercallRig {
  readonly machine: Machine;
  readonly channel: TraceChannel;
  readonly sink: CheckingSink;
  readonly deliver: () => void;
  readonly hash: Uint8Array;
  /** A 32-bit write of the hypercall register at `offset` (0 handshake address, 8 doorbell). */
  out(offset: number, value: number): void;
}

/** A fresh hypercall rig with the same catalog and enabled events as `rig()`. */
export function hypercallRig(): HypercallRig {
  const catalog = catalogFromText(`${TRACE_EVENTS_TEXT}include "guest" as fw\n`, 'emulator/trace-events', { readFile: () => GUEST });
  const registry = createRegistry(catalog);
  registry.enable('g_*');
  registry.setState(registry.lookup('g_off')!.index, false);
  const tracer = createTracer({ registry, exitFlush: false });
  const source = registry.source('fw')!;
  const sink = new CheckingSink(source.base, source.base + BigInt(source.events.length));
  tracer.addSink(sink);
  const channel = createHypercallChannel({ source: 'fw' });
  const machine = createMachine({ tracer, devices: [channel], ramBytes: RAM });
  return {
    machine,
    channel,
    sink,
    hash: Uint8Array.from(source.hash.match(/../g)!.map((h) => parseInt(h, 16))),
    deliver: () => tracer.deliver(),
    out: (offset, value) => machine.io.write(0x5a0 + offset, 4, value >>> 0),
  };
}

/**
 * An honest batch of g_word records (local id 1, ticks 1), one per value, with the sequence number and first-record
 * index a guest would give it: the channel ABI's layout, written out here independently of the firmware SDK.
 */
export function wordBatch(seq: number, first: number, values: readonly number[], dropped = 0): Uint8Array {
  const out = new Uint8Array(32 + 32 * values.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x54425455, true);
  v.setUint32(4, seq, true);
  v.setUint32(8, values.length, true);
  v.setUint32(12, 32 * values.length, true);
  v.setUint32(16, dropped, true);
  v.setUint32(24, first, true);
  values.forEach((value, i) => {
    const o = 32 + 32 * i;
    v.setUint32(o, 1, true);
    v.setUint32(o + 8, 1, true);
    v.setUint32(o + 16, 32, true);
    v.setUint32(o + 24, value >>> 0, true);
  });
  return out;
}
