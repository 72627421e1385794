// Reading a handshake block: every field as the guest wrote it, addresses checked to be exact numbers.
import {
  HANDSHAKE_BYTES,
  HS_BATCH_BYTES,
  HS_EVENT_COUNT,
  HS_HASH,
  HS_MAGIC,
  HS_MAILBOX_ADDR,
  HS_NAMES_ADDR,
  HS_NAMES_BYTES,
  HS_STATE_PAGE,
  HS_STATUS_ADDR,
  HS_TRANSPORT,
  HS_VERSION,
} from '@unitrace/core/channel-abi';

/** The fields of a handshake block. Addresses above 2^53 (no RAM is that large) read as -1. */
export interface HandshakeFields {
  readonly magic: number;
  readonly version: number;
  readonly transport: number;
  readonly eventCount: number;
  readonly batchBytes: number;
  readonly statePage: number;
  /** The 32 hash bytes, copied. */
  readonly hash: Uint8Array;
  readonly namesBytes: number;
  readonly namesAddr: number;
  readonly mailboxAddr: number;
  readonly statusAddr: number;
}

const TWO_32 = 4294967296;
const TWO_21 = 2097152;

/** Reads the HANDSHAKE_BYTES bytes at `bytes[0..]`. The caller guarantees the length; nothing else is trusted. */
export function readHandshake(bytes: Uint8Array): HandshakeFields {
  const v = new DataView(bytes.buffer, bytes.byteOffset, HANDSHAKE_BYTES);
  const addr = (o: number): number => {
    const hi = v.getUint32(o + 4, true);
    return hi >= TWO_21 ? -1 : v.getUint32(o, true) + hi * TWO_32;
  };
  return {
    magic: v.getUint32(HS_MAGIC, true),
    version: v.getUint16(HS_VERSION, true),
    transport: v.getUint16(HS_TRANSPORT, true),
    eventCount: v.getUint32(HS_EVENT_COUNT, true),
    batchBytes: v.getUint32(HS_BATCH_BYTES, true),
    statePage: addr(HS_STATE_PAGE),
    hash: bytes.slice(HS_HASH, HS_HASH + 32),
    namesBytes: v.getUint32(HS_NAMES_BYTES, true),
    namesAddr: addr(HS_NAMES_ADDR),
    mailboxAddr: addr(HS_MAILBOX_ADDR),
    statusAddr: addr(HS_STATUS_ADDR),
  };
}

/** Bytes of a state page for `count` events: one bit each, at least one byte. */
export function statePageBytes(count: number): number {
  return Math.max(1, Math.ceil(count / 8));
}

/** True when the first 32 bytes of `a` and `b` are equal. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}
