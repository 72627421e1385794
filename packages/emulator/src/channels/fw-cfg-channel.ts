// The fw_cfg guest channel: four items under opt/unitrace/<source>/ (handshake, names, status, records) wired to a
// session. Each batch is one guest DMA write into the records item. On a worker vCPU it is copied into a bounded
// queue and decoded after the exit is answered (see deferred-batches.ts); anything that reads or changes the
// channel's state (handshake, status, reset, counters) first finishes what is queued, so nothing is reordered.
import { TraceError } from '@unitrace/core';
import type { DeviceContext } from '../devices/device.js';
import type { FwCfgDevice } from '../devices/fw-cfg/fw-cfg.js';
import { FW_CFG_MAX_FILE_PATH } from '../devices/fw-cfg/keys.js';
import * as A from '@unitrace/core/channel-abi';
import type { TraceChannel } from './channel.js';
import { ChannelCounters, type ChannelStats } from './counters.js';
import { DeferredBatches } from './deferred-batches.js';
import { ChannelSession } from './session.js';
import { deferredWorkOf } from '../vcpu/deferred-work.js';
import type { TraceSourceStatus } from '../monitor/target.js';

/** Options of `createFwCfgChannel`. */
export interface FwCfgChannelOptions {
  /** The machine's fw_cfg device; the channel adds its items to it now. */
  readonly fwCfg: FwCfgDevice;
  /** The guest source (an `include … as NAME` of the machine tracer's catalog). At most 32 characters. */
  readonly source: string;
  /** Size of the records item: the largest batch accepted (default 16 KiB, 8 KiB .. 1 MiB). */
  readonly recordsBytes?: number;
  /** Size of the names item (default 16 KiB, up to 1 MiB). */
  readonly namesBytes?: number;
  /**
   * Bytes of batches the host may hold to decode after answering the guest's exit (default 4 × recordsBytes; 0 decodes
   * each batch inside its exit). At least recordsBytes when not 0. When it is full, the guest's next batch waits in
   * its exit until the host has decoded enough of the queue (backpressure): nothing is dropped for it.
   */
  readonly queueBytes?: number;
}

/** The fw_cfg channel of one guest source. */
export interface FwCfgChannel extends TraceChannel {
  /** The fw_cfg item names it added, by role. */
  readonly items: { readonly handshake: string; readonly names: string; readonly status: string; readonly records: string };
  /** Batches received and not decoded yet (only a worker vCPU's batches wait; reading the counters decodes them). */
  readonly queuedBatches: number;
}

/** The largest batch queue a channel may have: 16 batches of the largest records item. */
const MAX_QUEUE_BYTES = 16 * A.MAX_RECORDS_BYTES;

/**
 * Adds the channel's items to `fwCfg` and returns the device that serves them; list it among the machine's devices.
 * Throws TraceError('E_USAGE') for a source name that does not fit fw_cfg's 55-character names, bad sizes, and (at
 * attach) a source that is not a guest source of the machine's catalog.
 */
export function createFwCfgChannel(options: FwCfgChannelOptions): FwCfgChannel {
  return new FwCfgChannelDevice(options);
}

class FwCfgChannelDevice implements FwCfgChannel {
  readonly name: string;
  readonly source: string;
  readonly channel = 'fw_cfg';
  readonly items: FwCfgChannel['items'];
  readonly #handshake = new Uint8Array(A.HANDSHAKE_BYTES);
  readonly #status = new Uint8Array(A.STATUS_BYTES);
  readonly #names: Uint8Array;
  readonly #records: Uint8Array;
  readonly #recordsView: DataView;
  readonly #queueBytes: number;
  #session: ChannelSession | undefined;
  #batches: DeferredBatches | undefined;

  constructor(options: FwCfgChannelOptions) {
    const source = options.source;
    const prefix = `${A.FW_CFG_ITEM_PREFIX}${source}/`;
    if (!/^[A-Za-z0-9_.-]+$/.test(source) || prefix.length + A.ITEM_HANDSHAKE.length >= FW_CFG_MAX_FILE_PATH) {
      throw new TraceError('E_USAGE', `guest source name '${source}' cannot name fw_cfg items (letters, digits, _ . -; at most 32)`);
    }
    const recordsBytes = sizeOption(options.recordsBytes, A.DEFAULT_RECORDS_BYTES, A.MIN_RECORDS_BYTES, A.MAX_RECORDS_BYTES, 'records');
    const namesBytes = sizeOption(options.namesBytes, A.DEFAULT_NAMES_BYTES, 16, A.MAX_NAMES_BYTES, 'names');
    const queueBytes = options.queueBytes ?? 4 * recordsBytes;
    if (!(queueBytes === 0 || (Number.isSafeInteger(queueBytes) && queueBytes >= recordsBytes && queueBytes <= MAX_QUEUE_BYTES))) {
      throw new TraceError('E_USAGE', `the batch queue must be 0 or ${recordsBytes}..${MAX_QUEUE_BYTES} bytes, not ${String(options.queueBytes)}`);
    }
    this.#queueBytes = queueBytes;
    this.source = source;
    this.name = `unitrace-fw-cfg:${source}`;
    this.#names = new Uint8Array(namesBytes);
    this.#records = new Uint8Array(recordsBytes);
    this.#recordsView = new DataView(this.#records.buffer);
    this.items = {
      handshake: prefix + A.ITEM_HANDSHAKE,
      names: prefix + A.ITEM_NAMES,
      status: prefix + A.ITEM_STATUS,
      records: prefix + A.ITEM_RECORDS,
    };
    const fw = options.fwCfg;
    fw.addFile(this.items.handshake, this.#handshake, { writable: true, onWrite: (o, l) => this.#onHandshake(o, l) });
    fw.addFile(this.items.names, this.#names, { writable: true });
    fw.addFile(this.items.status, this.#status, { onSelect: () => this.#writeStatus() });
    fw.addFile(this.items.records, this.#records, {
      writable: true,
      onWrite: (o, l) => this.#batches?.written(this.#records, this.#recordsView, o, l),
    });
  }

  attach(ctx: DeviceContext): void {
    this.#session = new ChannelSession({
      source: this.source,
      channel: this.channel,
      transport: A.TRANSPORT_FW_CFG,
      tracer: ctx.tracer,
      clock: ctx.clock,
      memory: ctx.memory,
      trace: ctx.trace,
      maxBatch: this.#records.length,
      namesCapacity: this.#names.length,
    });
    const work = deferredWorkOf(ctx);
    const batches = new DeferredBatches(this.#session.decoder, ctx.tracer.clock, this.#records.length, this.#queueBytes, work);
    this.#batches = batches;
    this.#session.beforeStateChange = () => batches.drain();
    this.#session.writeStatus(this.#status);
  }

  reset(): void {
    this.#batches?.drain();
    this.#session?.reset();
    this.#session?.writeStatus(this.#status);
  }

  stats(): ChannelStats {
    this.#batches?.drain();
    return this.#session?.stats() ?? new ChannelCounters().snapshot();
  }

  sourceStatus(): TraceSourceStatus | undefined {
    this.#batches?.drain();
    return this.#session?.sourceStatus();
  }

  /** Batches received and not yet decoded (0 unless the machine runs the guest on a worker vCPU). */
  get queuedBatches(): number {
    return this.#batches?.queued ?? 0;
  }

  #writeStatus(): void {
    this.#batches?.drain();
    this.#session?.writeStatus(this.#status);
  }

  #onHandshake(offset: number, length: number): void {
    const s = this.#session;
    if (!s) return;
    // Batches sent before this handshake belong to the session it ends.
    this.#batches!.drain();
    if (offset !== 0 || length !== A.HANDSHAKE_BYTES) {
      s.refuseUnread(A.REASON_PARTIAL_WRITE, `handshake written as ${length} bytes at offset ${offset}; write all ${A.HANDSHAKE_BYTES} at once`);
    } else {
      s.handshake(this.#handshake, () => this.#names);
    }
    s.writeStatus(this.#status);
  }
}

function sizeOption(value: number | undefined, dflt: number, min: number, max: number, what: string): number {
  const v = value ?? dflt;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new TraceError('E_USAGE', `the ${what} item size must be ${min}..${max} bytes, not ${String(value)}`);
  }
  return v;
}
