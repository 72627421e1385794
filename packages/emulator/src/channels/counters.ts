// The counters of one guest channel: every record a guest sent ends up in exactly one of them.

/**
 * A channel's counters since the machine was created (handshakes and resets do not clear them). For every batch whose
 * header was valid, `accepted + filtered + rejected` grew by its record count; records the guest never managed to
 * send are `guestDropped` (its own report) or `gapRecords` (missing from its cumulative record index).
 */
export interface ChannelStats {
  /** Records forwarded to the tracer. */
  readonly accepted: number;
  /** Records of events the host has disabled, discarded as QEMU would not have recorded them (not a loss). */
  readonly filtered: number;
  /** Records refused by validation (bad id, unknown event, malformed payload, replayed or unframed batch). */
  readonly rejected: number;
  /** Of `rejected`: records of guest events the host does not know (handshake accepted by name). */
  readonly unknown: number;
  /** Records the guest reported dropping itself (batch headers, hypercall mailbox). */
  readonly guestDropped: number;
  /** Records missing between batches, from the cumulative record index. */
  readonly gapRecords: number;
  /** Batches missing from the sequence numbers. */
  readonly gapBatches: number;
  /** Batches (or hypercall exits) received. */
  readonly batches: number;
  /** Batches refused as a whole (bad header, replay, no accepted handshake, broken framing). */
  readonly batchesRejected: number;
  /** Records whose timestamp lay in the future and was clamped to the arrival time. */
  readonly clamped: number;
  /** Handshakes received, and how many of them were refused. */
  readonly handshakes: number;
  readonly refusals: number;
}

/** Mutable counters; the session owns one and hands out snapshots. */
export class ChannelCounters implements ChannelStats {
  accepted = 0;
  filtered = 0;
  rejected = 0;
  unknown = 0;
  guestDropped = 0;
  gapRecords = 0;
  gapBatches = 0;
  batches = 0;
  batchesRejected = 0;
  clamped = 0;
  handshakes = 0;
  refusals = 0;

  /** A frozen copy. */
  snapshot(): ChannelStats {
    return Object.freeze({ ...this });
  }

  /** Records lost on the way (not filtered): what the trace's dropped records add up to. */
  get lost(): number {
    return this.rejected + this.guestDropped + this.gapRecords;
  }
}
