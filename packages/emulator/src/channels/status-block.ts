// The status block a guest reads back: a fixed binary header (state, reason, both hashes, counters) and ASCII text.
import {
  CHANNEL_ABI_VERSION,
  STATUS_BYTES,
  STATUS_MAGIC,
  STATUS_TEXT_BYTES,
  ST_ACCEPTED,
  ST_FILTERED,
  ST_GUEST_HASH,
  ST_HOST_COUNT,
  ST_HOST_HASH,
  ST_LOST,
  ST_MAGIC,
  ST_MAX_BATCH,
  ST_NEXT_SEQ,
  ST_REASON,
  ST_REJECTED,
  ST_STATE,
  ST_TEXT,
  ST_TEXT_LENGTH,
  ST_UNKNOWN,
  ST_VERSION,
} from '@unitrace/core/channel-abi';
import type { ChannelCounters } from './counters.js';

/** What the status block says besides the counters. The text is kept encoded so a refresh allocates nothing. */
export interface StatusContent {
  state: number;
  reason: number;
  /** ASCII bytes of the text, at most STATUS_TEXT_BYTES; `textLength` of them are used. */
  readonly text: Uint8Array;
  textLength: number;
  readonly hostCount: number;
  readonly hostHash: Uint8Array;
  /** The hash of the last handshake (zeros before one). */
  readonly guestHash: Uint8Array;
  unknown: number;
  readonly maxBatch: number;
}

/** A fresh StatusContent for a source (state none). */
export function createStatusContent(hostCount: number, hostHash: Uint8Array, maxBatch: number): StatusContent {
  const content: StatusContent = {
    state: 0,
    reason: 0,
    text: new Uint8Array(STATUS_TEXT_BYTES),
    textLength: 0,
    hostCount,
    hostHash,
    guestHash: new Uint8Array(32),
    unknown: 0,
    maxBatch,
  };
  setStatusText(content, 'no handshake yet');
  return content;
}

/** Sets the text: ASCII only (anything else becomes `?`), cut to STATUS_TEXT_BYTES with `...` when longer. */
export function setStatusText(content: StatusContent, text: string): void {
  let t = text;
  if (t.length > STATUS_TEXT_BYTES) t = `${t.slice(0, STATUS_TEXT_BYTES - 3)}...`;
  content.text.fill(0);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    content.text[i] = c >= 0x20 && c < 0x7f ? c : 0x3f;
  }
  content.textLength = t.length;
}

function putU64(view: DataView, o: number, v: number): void {
  view.setUint32(o, v >>> 0, true);
  view.setUint32(o + 4, Math.floor(v / 4294967296) >>> 0, true);
}

/** Writes the STATUS_BYTES bytes of the block into `out` (the status item, or a guest RAM scratch). */
export function writeStatusBlock(out: Uint8Array, s: StatusContent, c: ChannelCounters, nextSeq: number): void {
  const v = new DataView(out.buffer, out.byteOffset, STATUS_BYTES);
  v.setUint32(ST_MAGIC, STATUS_MAGIC, true);
  v.setUint16(ST_VERSION, CHANNEL_ABI_VERSION, true);
  v.setUint16(ST_STATE, s.state, true);
  v.setUint16(ST_REASON, s.reason, true);
  v.setUint16(ST_TEXT_LENGTH, s.textLength, true);
  v.setUint32(ST_HOST_COUNT, s.hostCount, true);
  out.set(s.hostHash, ST_HOST_HASH);
  out.set(s.guestHash, ST_GUEST_HASH);
  v.setUint32(ST_UNKNOWN, s.unknown, true);
  v.setUint32(ST_MAX_BATCH, s.maxBatch, true);
  putU64(v, ST_ACCEPTED, c.accepted);
  putU64(v, ST_REJECTED, c.rejected);
  putU64(v, ST_LOST, c.guestDropped + c.gapRecords);
  putU64(v, ST_FILTERED, c.filtered);
  v.setUint32(ST_NEXT_SEQ, nextSeq >>> 0, true);
  v.setUint32(ST_NEXT_SEQ + 4, 0, true);
  out.set(s.text, ST_TEXT);
}
