// The tracepoints the guest channels call: a structural subset of the generated host TraceEvents (section `channels`).

/**
 * The channel events of the emulator's `trace-events`, as the host-ts generator types them. Implementations must
 * not throw and must not keep the arguments.
 */
export interface ChannelTrace {
  /** A handshake matched the host catalog exactly. */
  guest_channel_accepted(source: string, channel: string, hash: string, count: number): void;
  /** A handshake with another catalog was accepted by mapping event names. */
  guest_channel_accepted_by_name(
    source: string,
    channel: string,
    host_hash: string,
    guest_hash: string,
    known: number,
    unknown: number,
  ): void;
  /** A handshake was refused; nothing from this guest is decoded until one is accepted. */
  guest_channel_refused(source: string, channel: string, reason: string, host_hash: string, guest_hash: string): void;
  /** A guest event the host does not know (handshake accepted by name). */
  guest_channel_unknown_event(source: string, local_id: number, name: string): void;
  /** A batch was refused as a whole. */
  guest_channel_batch_rejected(source: string, seq: number, records: number, reason: string): void;
  /** Records of an otherwise valid batch (or a hypercall exit) were rejected; `reason` is the first one's. */
  guest_channel_records_rejected(source: string, seq: number, count: number, reason: string): void;
  /** Batches or records are missing before this batch. */
  guest_channel_sequence_gap(source: string, expected: number, seq: number, lost: number | bigint): void;
  /** The guest reported records it dropped itself. */
  guest_channel_guest_dropped(source: string, count: number): void;
  /** The host rewrote the guest's state page. */
  guest_channel_state_page(source: string, addr: number | bigint, enabled: number): void;
  /** A machine reset returned the channel to its power-on state. */
  guest_channel_reset(source: string, channel: string): void;
}

/** Tracepoints that do nothing: for channels driven without a machine (tests of the decoder). */
export const NO_CHANNEL_TRACE: ChannelTrace = Object.freeze({
  guest_channel_accepted() {},
  guest_channel_accepted_by_name() {},
  guest_channel_refused() {},
  guest_channel_unknown_event() {},
  guest_channel_batch_rejected() {},
  guest_channel_records_rejected() {},
  guest_channel_sequence_gap() {},
  guest_channel_guest_dropped() {},
  guest_channel_state_page() {},
  guest_channel_reset() {},
});
