// The hypercall guest channel, for kernels: a 16-byte register window (pc ports 0x5A0.., virt MMIO 0x09100000..),
// a handshake block and a mailbox in guest RAM. One doorbell write is one record and one exit.
import { TraceError } from '@unitrace/core';
import type { DeviceContext } from '../devices/device.js';
import type { AccessHandlers } from '../io/handlers.js';
import type { GuestMemory } from '../memory/guest-memory.js';
import type { TraceSourceStatus } from '../monitor/target.js';
import * as A from '@unitrace/core/channel-abi';
import type { TraceChannel } from './channel.js';
import { ChannelCounters, type ChannelStats } from './counters.js';
import { REJECT_ID, VERDICT_TEXT } from './record-forwarder.js';
import { ChannelSession } from './session.js';

/** Options of `createHypercallChannel`. */
export interface HypercallChannelOptions {
  /** The guest source (an `include … as NAME` of the machine tracer's catalog). */
  readonly source: string;
  /** First port on the pc board (default 0x5A0). */
  readonly port?: number;
  /** MMIO base on the virt board (default 0x09100000). */
  readonly mmioBase?: number;
  /** Bytes of names the host reads from guest RAM at most (default 16 KiB). */
  readonly namesBytes?: number;
}

/** The hypercall channel of one guest source. */
export interface HypercallChannel extends TraceChannel {
  /** Where its registers are, once attached: `io` ports or `mmio` addresses, and the first of the 16. */
  readonly window: { readonly bus: 'io' | 'mmio'; readonly base: number } | undefined;
}

/** Creates the device; list it among the machine's devices. Throws TraceError('E_USAGE') for bad options. */
export function createHypercallChannel(options: HypercallChannelOptions): HypercallChannel {
  return new HypercallDevice(options);
}

const TWO_32 = 4294967296;

class HypercallDevice implements HypercallChannel {
  readonly name: string;
  readonly source: string;
  readonly channel = 'hypercall';
  window: HypercallChannel['window'];
  readonly #options: HypercallChannelOptions;
  readonly #block = new Uint8Array(A.HANDSHAKE_BYTES);
  readonly #status = new Uint8Array(A.STATUS_BYTES);
  readonly #names: Uint8Array;
  #session: ChannelSession | undefined;
  #memory: GuestMemory | undefined;
  #ram: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(new ArrayBuffer(0));
  #mailbox = -1;
  #ctx: DeviceContext | undefined;

  constructor(options: HypercallChannelOptions) {
    const names = options.namesBytes ?? A.DEFAULT_NAMES_BYTES;
    if (!Number.isSafeInteger(names) || names < 16 || names > A.MAX_NAMES_BYTES) {
      throw new TraceError('E_USAGE', `hypercall names size must be 16..${A.MAX_NAMES_BYTES} bytes, not ${String(options.namesBytes)}`);
    }
    this.#options = options;
    this.source = options.source;
    this.name = `unitrace-hypercall:${options.source}`;
    this.#names = new Uint8Array(names);
  }

  attach(ctx: DeviceContext): void {
    this.#session = new ChannelSession({
      source: this.source,
      channel: this.channel,
      transport: A.TRANSPORT_HYPERCALL,
      tracer: ctx.tracer,
      clock: ctx.clock,
      memory: ctx.memory,
      trace: ctx.trace,
      maxBatch: 0,
      namesCapacity: this.#names.length,
    });
    this.#ctx = ctx;
    this.#memory = ctx.memory;
    this.#ram = ctx.memory.bytes;
    this.#view = new DataView(this.#ram.buffer, this.#ram.byteOffset, this.#ram.byteLength);
    const handlers: AccessHandlers = {
      sizes: [4],
      read: (offset) => this.#read(offset),
      write: (offset, _size, value) => this.#write(offset, Number(value) >>> 0),
    };
    if (ctx.board.name === 'pc') {
      const base = this.#options.port ?? A.HYPERCALL_PC_PORT;
      ctx.io.register(base, A.HYPERCALL_WINDOW, this.name, handlers);
      this.window = { bus: 'io', base };
    } else {
      const base = this.#options.mmioBase ?? A.HYPERCALL_VIRT_BASE;
      ctx.mmio.register(base, A.HYPERCALL_WINDOW, this.name, handlers);
      this.window = { bus: 'mmio', base };
    }
  }

  reset(): void {
    this.#mailbox = -1;
    this.#session?.reset();
  }

  stats(): ChannelStats {
    return this.#session?.stats() ?? new ChannelCounters().snapshot();
  }

  sourceStatus(): TraceSourceStatus | undefined {
    return this.#session?.sourceStatus();
  }

  #read(offset: number): number {
    if (offset === A.HC_SIGNATURE) return A.HYPERCALL_SIGNATURE;
    if (offset !== A.HC_STATUS || !this.#session) return 0;
    const st = this.#session.status;
    return (st.state | (st.reason << 8) | (Math.min(st.unknown, 0xffff) << 16)) >>> 0;
  }

  #write(offset: number, value: number): void {
    if (offset === A.HC_HANDSHAKE) this.#handshake(value);
    else if (offset === A.HC_DOORBELL) this.#doorbell(value);
  }

  #handshake(addr: number): void {
    const s = this.#session!;
    const memory = this.#memory!;
    this.#mailbox = -1;
    if (!memory.read(addr, A.HANDSHAKE_BYTES, this.#block)) {
      s.refuseUnread(A.REASON_MAGIC, `handshake block at 0x${addr.toString(16)} is not in guest RAM`);
      return;
    }
    const f = s.handshake(this.#block, (fields) =>
      fields.namesAddr >= 0 ? memory.read(fields.namesAddr, fields.namesBytes, this.#names) : undefined,
    );
    if (s.open) this.#mailbox = f.mailboxAddr;
    // The status goes back to guest RAM (also after a refusal: refusal is loud on both sides).
    if (f.statusAddr > 0 && memory.valid(f.statusAddr, A.STATUS_BYTES)) {
      s.writeStatus(this.#status);
      memory.write(f.statusAddr, this.#status);
    }
  }

  #doorbell(id: number): void {
    const s = this.#session!;
    const ctx = this.#ctx!;
    const c = s.counters;
    c.batches++;
    const nowNs = ctx.tracer.clock.nowNs();
    if (!s.open || this.#mailbox < 0) {
      if (id === A.DOORBELL_DROPS_ONLY) return;
      c.rejected++;
      ctx.trace.guest_channel_records_rejected(this.source, 0, 1, 'no accepted handshake');
      ctx.tracer.dropped(1, nowNs);
      return;
    }
    const mb = this.#mailbox;
    const v = this.#view;
    let lost = 0;
    const dropped = v.getUint32(mb + A.MB_DROPPED, true);
    if (dropped > 0) {
      // The host consumes the count: the guest adds to it, the host zeroes it, so nothing is counted twice.
      v.setUint32(mb + A.MB_DROPPED, 0, true);
      c.guestDropped += dropped;
      lost += dropped;
      ctx.trace.guest_channel_guest_dropped(this.source, dropped);
    }
    if (id !== A.DOORBELL_DROPS_ONLY) {
      const ticks = v.getUint32(mb + A.MB_TIMESTAMP, true) + v.getUint32(mb + A.MB_TIMESTAMP + 4, true) * TWO_32;
      const verdict = s.forwarder.forwardWords(id, ticks, this.#ram, mb + A.MB_ARGS, ctx.clock.ticksAt(nowNs), nowNs);
      if (verdict >= REJECT_ID) {
        lost++;
        ctx.trace.guest_channel_records_rejected(this.source, 0, 1, VERDICT_TEXT[verdict]);
      }
    }
    if (lost > 0) ctx.tracer.dropped(lost, nowNs);
  }
}
