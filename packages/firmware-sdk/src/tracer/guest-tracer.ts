// The guest tracer: early buffering before the channel is up, the handshake, batches (one exit each) or single
// records, its own drop count, and the state page the host keeps current.
import type { Cpu } from '@unitrace/core';
import * as A from '@unitrace/core/channel-abi';
import { fwCfgTransport } from '../transport/fw-cfg-transport.js';
import type { Transport, TransportLink } from '../transport/transport.js';
import { type RamRegion, type TracerLayout, carveLayout } from './layout.js';
import { MODE_OFF, MODE_SINGLE, RecordEncoder } from './record-encoder.js';
import { type GuestSource, hashBytes, namesText } from './source.js';
import { type ChannelStatus, localStatus, readStatus } from './status.js';

/** Options of `createGuestTracer`. */
export interface GuestTracerOptions {
  /** The generated source description (`SOURCE` of a firmware-ts module). */
  readonly source: GuestSource;
  /** The guest RAM the tracer may use (state page, buffers, handshake, DMA descriptor). */
  readonly ram: RamRegion;
  /** Written into every record's pid field: the vCPU index (default 0). */
  readonly vcpu?: number;
  /** Send event names with the handshake so a host with another catalog can map by name (default: when known). */
  readonly sendNames?: boolean;
  /** When the batch buffer is full, send it (one exit) instead of dropping the record (default true). */
  readonly flushWhenFull?: boolean;
}

/** What the tracer did so far. */
export interface GuestTracerStats {
  /** Records handed to the host (in batches it took, or doorbells). */
  readonly sent: number;
  /** Records dropped by this tracer: buffers full, batches the device refused, records a transport cannot carry. */
  readonly dropped: number;
  /** Batches (or doorbells) sent. */
  readonly sends: number;
}

type Phase = 'early' | 'batch' | 'single' | 'off';

/**
 * Creates a tracer whose records go to an early buffer until `connect`. Takes no exit. Throws a RangeError when the
 * RAM region does not fit (a firmware configuration error).
 */
export function createGuestTracer(cpu: Cpu, options: GuestTracerOptions): GuestTracer {
  return new GuestTracer(cpu, options);
}

/** See createGuestTracer. One per source and vCPU; never shared between vCPUs. */
export class GuestTracer extends RecordEncoder {
  readonly source: GuestSource;
  readonly layout: TracerLayout;
  /** Guest address of the state page: bit (id & 7) of byte (id >> 3) is local event id's enabled bit. */
  readonly statePage: number;
  #phase: Phase = 'early';
  #link: TransportLink | undefined;
  #status: ChannelStatus = localStatus('none', 'not connected yet');
  readonly #names: Uint8Array;
  readonly #flushWhenFull: boolean;
  #seq = 0;
  #firstRecord = 0;
  #sent = 0;
  #sends = 0;

  constructor(cpu: Cpu, options: GuestTracerOptions) {
    const src = options.source;
    super(cpu, options.vcpu ?? 0, Uint8Array.from(src.argKinds, (k) => (!k.includes('s') && k.length <= A.MAX_HYPERCALL_ARGS ? 1 : 0)));
    hashBytes(src.hash);
    this.source = src;
    const sendNames = options.sendNames ?? src.signatures !== undefined;
    this.#names = sendNames ? namesText(src) : new Uint8Array(0);
    this.layout = carveLayout(options.ram, src.eventCount, this.#names.length, cpu.ram.length);
    this.statePage = this.layout.statePage;
    this.#flushWhenFull = options.flushWhenFull ?? true;
    // Until the host says otherwise every event is on, so early records are kept.
    this.#fillState(0xff);
    this.mailbox = this.layout.mailbox;
    this.cursor = this.layout.early + A.BATCH_HEADER_BYTES;
    this.limit = this.layout.early + this.layout.earlyBytes;
    if (this.layout.earlyBytes === 0) this.limit = this.cursor = 0;
  }

  /**
   * Finds the channel through `transport` (default fw_cfg), sends the handshake (and names), reads the host's status,
   * then sends what the early buffer holds. When refused or absent, the state page is cleared and nothing is ever
   * sent. Returns the status.
   */
  connect(transport: Transport = fwCfgTransport()): ChannelStatus {
    if (this.#phase !== 'early') return this.#status;
    const L = this.layout;
    const link = transport.open(this.cpu, this.source.name, L);
    if (typeof link === 'string') return this.#off(localStatus('unavailable', link));
    this.#link = link;
    const namesBytes = this.#names.length <= link.namesCapacity ? this.#names.length : 0;
    this.ram.set(this.#names.subarray(0, namesBytes), L.names);
    this.#writeHandshake(link, namesBytes);
    link.handshake(L, namesBytes);
    const status = readStatus(this.ram, L.status);
    if (status.state !== 'accepted' && status.state !== 'accepted-by-name') return this.#off(status);
    this.#status = status;
    const earlyCount = this.count;
    const earlyEnd = this.cursor;
    if (link.kind === 'single') {
      this.#phase = 'single';
      this.mode = MODE_SINGLE;
      this.#replayEarly(earlyCount, earlyEnd);
      return status;
    }
    this.#phase = 'batch';
    if (earlyCount > 0 || this.dropped > 0) this.#send(L.early);
    this.cursor = L.batch + A.BATCH_HEADER_BYTES;
    this.limit = L.batch + Math.min(L.batchBytes, link.maxBatch);
    this.count = 0;
    return status;
  }

  /** The channel's status as the host last reported it (or why there is no channel). */
  status(): ChannelStatus {
    return this.#status;
  }

  /** True when local event `id` is enabled: one bit of the state page, no exit. */
  enabled(id: number): boolean {
    return ((this.ram[this.statePage + (id >>> 3)] >>> (id & 7)) & 1) === 1;
  }

  /** Sends the current batch now (one exit), or the pending drop count (hypercall). False when it could not. */
  flush(): boolean {
    if (this.#phase === 'single') {
      if (this.view.getUint32(this.mailbox + A.MB_DROPPED, true) > 0) this.#link!.doorbell(A.DOORBELL_DROPS_ONLY);
      return true;
    }
    if (this.#phase !== 'batch') return false;
    if (this.count === 0 && this.dropped === 0) return true;
    return this.#send(this.layout.batch);
  }

  /** Flushes, then stops tracing: later records are not kept. */
  shutdown(): void {
    this.flush();
    this.#phase = 'off';
    this.mode = MODE_OFF;
    this.#fillState(0);
  }

  /** Counters of this tracer. */
  stats(): GuestTracerStats {
    return { sent: this.#sent, dropped: this.droppedTotal, sends: this.#sends };
  }

  /** Throws a RangeError when generated code for another catalog is bound to this tracer. */
  checkSource(source: GuestSource): void {
    if (source.hash !== this.source.hash || source.name !== this.source.name) {
      throw new RangeError(`trace functions for ${source.name} (${source.hash.slice(0, 16)}) bound to the tracer of ${this.source.name} (${this.source.hash.slice(0, 16)})`);
    }
  }

  /**
   * Emits local event `id` with raw values, if its bit is set: words as numbers (two's complement) or bigints,
   * strings as text or bytes, by the source's argument kinds. No C-type narrowing (generated code does that); for
   * tests and code without generated functions. Values of the wrong kind or count are written as 0.
   */
  emit(id: number, values: readonly (number | bigint | string | Uint8Array | null | undefined)[]): void {
    if (!(id >= 0 && id < this.source.eventCount) || !this.enabled(id)) return;
    const kinds = this.source.argKinds[id];
    const sizes = Array.from(kinds, (k, i) => (k === 's' ? 4 + this.#bytesOf(values[i]) : 8));
    let o = this.begin(id, sizes.reduce((a, b) => a + b, 0));
    if (o < 0) return;
    for (let i = 0; i < kinds.length; i++) {
      const v = values[i];
      if (kinds[i] === 's') {
        const n = sizes[i] - 4;
        if (v instanceof Uint8Array) {
          this.view.setUint32(o, n, true);
          this.ram.set(v.subarray(0, n), o + 4);
          o += 4 + n;
        } else o = this.putString(o, typeof v === 'string' ? v : null, n);
      } else if (typeof v === 'bigint') o = this.putBigInt(o, v);
      else o = this.putNumber(o, typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
    }
    this.end();
  }

  protected makeRoom(len: number): boolean {
    if (this.#phase !== 'batch' || !this.#flushWhenFull) return false;
    if (len > this.limit - this.layout.batch - A.BATCH_HEADER_BYTES) return false;
    this.#send(this.layout.batch);
    return true;
  }

  protected ring(id: number): void {
    this.#link!.doorbell(id);
    this.#sent++;
    this.#sends++;
  }

  #bytesOf(v: unknown): number {
    if (v instanceof Uint8Array) return Math.min(v.length, A.MAX_STRING_BYTES);
    return typeof v === 'string' ? this.strLen(v) : 0;
  }

  // One batch from `start` (header, then the records up to the cursor): one exit. A batch the device refuses
  // is counted as dropped and reported in the next header; the sequence does not advance (the host never saw it).
  #send(start: number): boolean {
    const v = this.view;
    const bytes = this.cursor - start;
    v.setUint32(start, A.BATCH_MAGIC, true);
    v.setUint32(start + A.BH_SEQ, this.#seq, true);
    v.setUint32(start + A.BH_COUNT, this.count, true);
    v.setUint32(start + A.BH_BYTES, bytes - A.BATCH_HEADER_BYTES, true);
    v.setUint32(start + A.BH_DROPPED, this.dropped, true);
    v.setUint32(start + A.BH_FLAGS, 0, true);
    v.setUint32(start + A.BH_FIRST_RECORD, this.#firstRecord >>> 0, true);
    v.setUint32(start + A.BH_FIRST_RECORD + 4, Math.floor(this.#firstRecord / 4294967296), true);
    const ok = this.#link!.sendBatch(start, bytes);
    this.#sends++;
    if (ok) {
      this.#seq = (this.#seq + 1) >>> 0;
      this.#firstRecord += this.count;
      this.#sent += this.count;
      this.dropped = 0;
    } else {
      this.dropped += this.count;
      this.droppedTotal += this.count;
    }
    this.cursor = this.layout.batch + A.BATCH_HEADER_BYTES;
    this.count = 0;
    return ok;
  }

  #replayEarly(count: number, end: number): void {
    const v = this.view;
    const mb = this.mailbox;
    v.setUint32(mb + A.MB_DROPPED, this.dropped, true);
    this.dropped = 0;
    let o = this.layout.early + A.BATCH_HEADER_BYTES;
    for (let i = 0; i < count && o < end; i++) {
      const id = v.getUint32(o, true);
      const len = v.getUint32(o + 16, true);
      const payload = len - A.GUEST_RECORD_HEADER_BYTES;
      if (this.wordsOnly[id] !== 1 || payload > 40) this.dropToMailbox(1);
      else {
        this.ram.copyWithin(mb + A.MB_TIMESTAMP, o + 8, o + 16);
        v.setUint32(mb + A.MB_PID, this.pid, true);
        this.ram.copyWithin(mb + A.MB_ARGS, o + A.GUEST_RECORD_HEADER_BYTES, o + len);
        this.ring(id);
      }
      o += len;
    }
    this.count = 0;
    this.flush();
  }

  #writeHandshake(link: TransportLink, namesBytes: number): void {
    const L = this.layout;
    const v = this.view;
    const h = L.handshake;
    this.ram.fill(0, h, h + A.HANDSHAKE_BYTES);
    v.setUint32(h + A.HS_MAGIC, A.HANDSHAKE_MAGIC, true);
    v.setUint16(h + A.HS_VERSION, A.CHANNEL_ABI_VERSION, true);
    v.setUint16(h + A.HS_TRANSPORT, link.code, true);
    v.setUint32(h + A.HS_EVENT_COUNT, this.source.eventCount, true);
    v.setUint32(h + A.HS_BATCH_BYTES, link.kind === 'batch' ? Math.min(L.batchBytes, link.maxBatch) : 0, true);
    v.setUint32(h + A.HS_STATE_PAGE, L.statePage, true);
    this.ram.set(hashBytes(this.source.hash), h + A.HS_HASH);
    v.setUint32(h + A.HS_NAMES_BYTES, namesBytes, true);
    if (link.kind === 'single') {
      if (namesBytes > 0) v.setUint32(h + A.HS_NAMES_ADDR, L.names, true);
      v.setUint32(h + A.HS_MAILBOX_ADDR, L.mailbox, true);
      v.setUint32(h + A.HS_STATUS_ADDR, L.status, true);
      this.ram.fill(0, L.mailbox, L.mailbox + A.MAILBOX_BYTES);
    }
  }

  #off(status: ChannelStatus): ChannelStatus {
    this.#status = status;
    this.#phase = 'off';
    this.mode = MODE_OFF;
    this.count = 0;
    this.dropped = 0;
    this.#fillState(0);
    return status;
  }

  #fillState(byte: number): void {
    const L = this.layout;
    this.ram.fill(byte, L.statePage, L.statePage + L.stateBytes);
  }
}
