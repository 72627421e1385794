// Reading the host's status block back: what the host decided about the handshake, and why.
import * as A from '@unitrace/core/channel-abi';

/** Where the channel stands, as the guest sees it. `unavailable`: no channel device was found at all. */
export type ChannelState = 'none' | 'accepted' | 'accepted-by-name' | 'refused' | 'unavailable';

/** The host's answer, decoded. `text` is the host's one-line explanation (firmware can print it as is). */
export interface ChannelStatus {
  readonly state: ChannelState;
  /** The host's reason code (0 when accepted; see channel-abi.md). */
  readonly reason: number;
  readonly text: string;
  readonly hostHash: string;
  readonly guestHash: string;
  /** Guest events the host does not know (accepted by name). */
  readonly unknownEvents: number;
  /** The host's counters when the status was read. */
  readonly accepted: number;
  readonly rejected: number;
  readonly lost: number;
}

const STATES: readonly ChannelState[] = ['none', 'accepted', 'accepted-by-name', 'refused'];

/** A status that did not come from a host (no device, or a malformed block). */
export function localStatus(state: ChannelState, text: string): ChannelStatus {
  return { state, reason: 0, text, hostHash: '', guestHash: '', unknownEvents: 0, accepted: 0, rejected: 0, lost: 0 };
}

/** Decodes the STATUS_BYTES bytes at `at` of guest RAM. A block without the magic reads as `unavailable`. */
export function readStatus(ram: Uint8Array, at: number): ChannelStatus {
  const v = new DataView(ram.buffer, ram.byteOffset + at, A.STATUS_BYTES);
  if (v.getUint32(0, true) !== A.STATUS_MAGIC) return localStatus('unavailable', 'the host wrote no status block');
  const state = STATES[v.getUint16(A.ST_STATE, true)] ?? 'refused';
  const n = Math.min(v.getUint16(A.ST_TEXT_LENGTH, true), A.STATUS_TEXT_BYTES);
  let text = '';
  for (let i = 0; i < n; i++) text += String.fromCharCode(ram[at + A.ST_TEXT + i]);
  const hex = (o: number): string => Array.from(ram.subarray(at + o, at + o + 32), (b) => b.toString(16).padStart(2, '0')).join('');
  const u64 = (o: number): number => v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296;
  return {
    state,
    reason: v.getUint16(A.ST_REASON, true),
    text,
    hostHash: hex(A.ST_HOST_HASH),
    guestHash: hex(A.ST_GUEST_HASH),
    unknownEvents: v.getUint32(A.ST_UNKNOWN, true),
    accepted: u64(A.ST_ACCEPTED),
    rejected: u64(A.ST_REJECTED),
    lost: u64(A.ST_LOST),
  };
}
