// The transport-independent half of a guest channel: handshake decisions, the id mapping, the guest's state page,
// the status block, counters, and the channel's status for query-trace-sources.
import type { Tracer } from '@unitrace/core';
import type { GuestMemory } from '../memory/guest-memory.js';
import type { HandshakeState, TraceSourceStatus } from '../monitor/target.js';
import * as A from '@unitrace/core/channel-abi';
import { BatchDecoder } from './batch-decoder.js';
import { ChannelCounters, type ChannelStats } from './counters.js';
import { type HandshakeFields, readHandshake, sameHash, statePageBytes } from './handshake.js';
import { mapByName, type UnknownEvent } from './names.js';
import { type ClockMapping, RecordForwarder } from './record-forwarder.js';
import { type SourceLayout, buildSourceLayout, bytesHex } from './source-layout.js';
import { type StatusContent, createStatusContent, setStatusText, writeStatusBlock } from './status-block.js';
import type { ChannelTrace } from './trace.js';

/** What a session is built from: the machine's pieces a channel device gets at attach. */
export interface SessionOptions {
  /** The guest source this channel serves (a `include … as NAME` source of the tracer's catalog). */
  readonly source: string;
  /** `fw_cfg` or `hypercall`: shown in statuses and tracepoints. */
  readonly channel: string;
  /** TRANSPORT_FW_CFG or TRANSPORT_HYPERCALL: what a handshake must say. */
  readonly transport: number;
  readonly tracer: Tracer;
  readonly clock: ClockMapping & { ticksAt(hostNs: number): number };
  readonly memory: GuestMemory;
  readonly trace: ChannelTrace;
  /** The largest batch the host takes (records item size); 0 for the hypercall port. */
  readonly maxBatch: number;
  /** Bytes of names the host reads at most. */
  readonly namesCapacity: number;
}

const REASON_NOT_SENT = 'no handshake yet';

/**
 * One guest source's channel state. Built once per device; `reset()` (machine reset) and every handshake start it
 * over. The registry listener keeps the guest's state page current while a handshake is accepted.
 */
export class ChannelSession {
  readonly layout: SourceLayout;
  readonly counters: ChannelCounters = new ChannelCounters();
  readonly forwarder: RecordForwarder;
  readonly decoder: BatchDecoder;
  readonly status: StatusContent;
  handshakeState: HandshakeState = 'none';
  /**
   * Called on a registry change that touches the source, before the forwarder takes the new enabled bits: a
   * transport that holds undecoded batches finishes them here, so they are filtered by the state they arrived in.
   */
  beforeStateChange: (() => void) | undefined;
  readonly #o: SessionOptions;
  #statePage = -1;
  #pageBytes = 0;
  #detail: string | undefined;
  #guestHash: string | undefined;
  #unknown: readonly UnknownEvent[] = [];
  readonly #unsubscribe: () => void;

  constructor(options: SessionOptions) {
    this.#o = options;
    this.layout = buildSourceLayout(options.tracer.registry, options.source);
    const mapSize = Math.max(this.layout.count, Math.floor(options.namesCapacity / 4));
    this.forwarder = new RecordForwarder(this.layout, options.tracer, options.clock, this.counters, mapSize);
    this.decoder = new BatchDecoder({
      forwarder: this.forwarder,
      counters: this.counters,
      tracer: options.tracer,
      clock: options.clock,
      trace: options.trace,
      source: options.source,
    });
    this.status = createStatusContent(this.layout.count, this.layout.hashBytes, options.maxBatch);
    const first = this.layout.source.first;
    const last = first + this.layout.count;
    this.#unsubscribe = options.tracer.registry.onChange((change) => {
      if (!change.indices.some((i) => i >= first && i < last)) return;
      this.beforeStateChange?.();
      this.forwarder.refreshEnabled();
      if (this.#statePage >= 0) this.syncStatePage();
    });
  }

  /**
   * Evaluates a handshake block (HANDSHAKE_BYTES bytes). `names` returns the guest's names bytes when the block
   * announces some (undefined when they cannot be had). Accepts, accepts by name, or refuses loudly; never throws.
   */
  handshake(block: Uint8Array, names: (fields: HandshakeFields) => Uint8Array | undefined): HandshakeFields {
    const f = readHandshake(block);
    this.#restart();
    this.counters.handshakes++;
    this.status.guestHash.set(f.hash);
    this.#guestHash = bytesHex(f.hash);
    const o = this.#o;
    const L = this.layout;
    const pageOk = f.statePage >= 0 && f.eventCount <= A.MAX_GUEST_EVENTS && o.memory.valid(f.statePage, statePageBytes(f.eventCount));
    // Only a block that is a handshake of this ABI and transport points at a state page worth clearing.
    const genuine = f.magic === A.HANDSHAKE_MAGIC && f.version === A.CHANNEL_ABI_VERSION && f.transport === o.transport;
    const refuse = (reason: number, detail: string): HandshakeFields => {
      if (genuine && pageOk) o.memory.fill(f.statePage, statePageBytes(f.eventCount), 0);
      this.#refuse(reason, detail);
      return f;
    };
    if (f.magic !== A.HANDSHAKE_MAGIC) return refuse(A.REASON_MAGIC, 'bad handshake magic');
    if (f.version !== A.CHANNEL_ABI_VERSION) return refuse(A.REASON_VERSION, `ABI version ${f.version} is not supported (host speaks ${A.CHANNEL_ABI_VERSION})`);
    if (f.transport !== o.transport) return refuse(A.REASON_TRANSPORT, `handshake for transport ${f.transport} sent to the ${o.channel} channel`);
    if (f.eventCount > this.forwarder.map.length) return refuse(A.REASON_EVENT_COUNT, `${f.eventCount} events is more than the channel maps`);
    if (!pageOk) return refuse(A.REASON_STATE_PAGE, `state page at ${hex(f.statePage)} is not in guest RAM`);
    if (o.transport === A.TRANSPORT_FW_CFG && !(f.batchBytes >= A.MIN_BATCH_BYTES && f.batchBytes <= o.maxBatch)) {
      return refuse(A.REASON_BATCH_BYTES, `batch size ${f.batchBytes} is outside ${A.MIN_BATCH_BYTES}..${o.maxBatch}`);
    }
    if (o.transport === A.TRANSPORT_HYPERCALL && !(f.mailboxAddr >= 0 && o.memory.valid(f.mailboxAddr, A.MAILBOX_BYTES))) {
      return refuse(A.REASON_MAILBOX, `mailbox at ${hex(f.mailboxAddr)} is not in guest RAM`);
    }
    if (sameHash(f.hash, L.hashBytes)) {
      if (f.eventCount !== L.count) return refuse(A.REASON_EVENT_COUNT, `same catalog but ${f.eventCount} events (host: ${L.count})`);
      this.forwarder.mapIdentity(L.count);
      this.#accept(f, 'accepted', `accepted: ${o.source}, ${L.count} events, catalog ${short(L.source.hash)}`);
      o.trace.guest_channel_accepted(o.source, o.channel, L.source.hash, L.count);
      return f;
    }
    const mismatch = `host catalog ${short(L.source.hash)}, guest ${short(this.#guestHash)}`;
    if (f.namesBytes === 0) return refuse(A.REASON_CATALOG, `${mismatch}; no event names sent to map by`);
    const text = f.namesBytes <= o.namesCapacity ? names(f) : undefined;
    if (text === undefined) return refuse(A.REASON_BAD_NAMES, `${mismatch}; names (${f.namesBytes} bytes) cannot be read`);
    const m = mapByName(L, text, f.namesBytes, f.eventCount, this.forwarder.map);
    if (!m.ok) return refuse(m.reason, `${mismatch}; ${m.detail}`);
    this.forwarder.guestCount = f.eventCount;
    this.#unknown = m.unknown;
    this.status.unknown = m.unknown.length;
    const unknownText = m.unknown.length === 0 ? 'none unknown' : `unknown: ${m.unknown.map((u) => u.name).join(', ')}`;
    this.#accept(f, 'mapped-by-name', `accepted by name: ${m.known} known, ${unknownText}; ${mismatch}`);
    o.trace.guest_channel_accepted_by_name(o.source, o.channel, L.source.hash, this.#guestHash, m.known, m.unknown.length);
    for (const u of m.unknown) o.trace.guest_channel_unknown_event(o.source, u.local, u.name);
    return f;
  }

  /** True while a handshake is accepted: records are decoded. */
  get open(): boolean {
    return this.decoder.open;
  }

  /** Refuses without a block to read (a handshake written in pieces, or placed outside guest RAM). */
  refuseUnread(reason: number, detail: string): void {
    this.#restart();
    this.counters.handshakes++;
    this.status.guestHash.fill(0);
    this.#guestHash = undefined;
    this.#refuse(reason, detail);
  }

  /** Rewrites the guest's state page from the registry (bit i of byte i/8: guest-local event i enabled). */
  syncStatePage(): void {
    if (this.#statePage < 0) return;
    const state = this.#o.tracer.registry.state;
    const map = this.forwarder.map;
    const ram = this.#o.memory.bytes;
    const count = this.forwarder.guestCount;
    let enabled = 0;
    for (let b = 0; b < this.#pageBytes; b++) {
      let byte = 0;
      for (let k = 0; k < 8; k++) {
        const i = b * 8 + k;
        if (i >= count) break;
        // An event the host does not know stays on, so its records arrive and are counted as rejected.
        const on = map[i] < 0 || state[map[i]] !== 0;
        if (on) {
          byte |= 1 << k;
          enabled++;
        }
      }
      Atomics.store(ram, this.#statePage + b, byte);
    }
    this.#o.trace.guest_channel_state_page(this.#o.source, this.#statePage, enabled);
  }

  /** Writes the status block, with counters as of now, into `out` (STATUS_BYTES bytes). */
  writeStatus(out: Uint8Array): void {
    writeStatusBlock(out, this.status, this.counters, this.decoder.expectedSeq);
  }

  /** Machine reset: no handshake, nothing mapped; the counters stay (they count since the machine was created). */
  reset(): void {
    this.#restart();
    this.handshakeState = 'none';
    this.status.state = A.STATE_NONE;
    this.status.reason = A.REASON_OK;
    this.status.guestHash.fill(0);
    this.#guestHash = undefined;
    this.#detail = undefined;
    setStatusText(this.status, REASON_NOT_SENT);
    this.#o.trace.guest_channel_reset(this.#o.source, this.#o.channel);
  }

  /** Counters as of now. */
  stats(): ChannelStats {
    return this.counters.snapshot();
  }

  /** The source as `query-trace-sources` shows it. */
  sourceStatus(): TraceSourceStatus {
    const L = this.layout;
    const c = this.counters;
    return {
      name: L.source.name,
      kind: L.source.kind,
      firstId: L.source.base,
      count: L.count,
      handshake: this.handshakeState,
      ...(this.#detail !== undefined ? { detail: this.#detail } : {}),
      hostHash: L.source.hash,
      ...(this.#guestHash !== undefined ? { guestHash: this.#guestHash } : {}),
      channel: this.#o.channel,
      records: c.accepted,
      ...(this.#unknown.length > 0 ? { unknownEvents: this.#unknown.map((u) => u.name) } : {}),
      losses: { guestBuffer: c.guestDropped, rejected: c.rejected, sequenceGaps: c.gapBatches, gapRecords: c.gapRecords },
    };
  }

  /** Stops listening to the registry. */
  dispose(): void {
    this.#unsubscribe();
  }

  #restart(): void {
    this.decoder.open = false;
    this.decoder.restart();
    this.forwarder.clear();
    this.#statePage = -1;
    this.#pageBytes = 0;
    this.#unknown = [];
    this.status.unknown = 0;
  }

  #accept(f: HandshakeFields, state: 'accepted' | 'mapped-by-name', text: string): void {
    this.handshakeState = state;
    this.status.state = state === 'accepted' ? A.STATE_ACCEPTED : A.STATE_BY_NAME;
    this.status.reason = A.REASON_OK;
    setStatusText(this.status, text);
    this.#detail = state === 'accepted' ? undefined : text;
    this.#statePage = f.statePage;
    this.#pageBytes = statePageBytes(f.eventCount);
    this.decoder.open = true;
    this.syncStatePage();
  }

  #refuse(reason: number, detail: string): void {
    const o = this.#o;
    this.counters.refusals++;
    this.handshakeState = 'refused';
    this.status.state = A.STATE_REFUSED;
    this.status.reason = reason;
    const text = `refused (${A.REASON_TEXT[reason]}): ${detail}`;
    setStatusText(this.status, text);
    this.#detail = text;
    o.trace.guest_channel_refused(o.source, o.channel, detail, this.layout.source.hash, this.#guestHash ?? '');
  }
}

function hex(addr: number): string {
  return addr < 0 ? 'beyond 2^53' : `0x${addr.toString(16)}`;
}

function short(hash: string): string {
  return hash.slice(0, 16);
}
