// Where the tracer keeps its pieces in guest RAM: the firmware hands it one region and it carves it up.
import { HANDSHAKE_BYTES, MAILBOX_BYTES, MIN_BATCH_BYTES, STATUS_BYTES } from '@unitrace/core/channel-abi';
import { DMA_DESC_BYTES } from '../fw-cfg/constants.js';

/** The guest RAM the tracer may use: `bytes` bytes from `base`, plus how to split them. */
export interface RamRegion {
  readonly base: number;
  readonly bytes: number;
  /** Bytes for records emitted before the channel is up (default 1024, or the batch size if smaller; 0: none). */
  readonly earlyBytes?: number;
  /** Bytes of the batch buffer, header included (default: the rest of the region, at most 64 KiB). */
  readonly batchBytes?: number;
}

/** Addresses (guest-physical) of each piece. */
export interface TracerLayout {
  readonly statePage: number;
  readonly stateBytes: number;
  readonly descriptor: number;
  readonly handshake: number;
  readonly status: number;
  readonly mailbox: number;
  readonly names: number;
  readonly namesBytes: number;
  readonly early: number;
  readonly earlyBytes: number;
  readonly batch: number;
  readonly batchBytes: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * Carves `region` for `eventCount` events and `namesBytes` of names. Throws a RangeError when the region is outside
 * `ramBytes` or too small: a firmware configuration error, found at its first boot.
 */
export function carveLayout(region: RamRegion, eventCount: number, namesBytes: number, ramBytes: number): TracerLayout {
  const { base, bytes } = region;
  if (!(Number.isSafeInteger(base) && base >= 0 && Number.isSafeInteger(bytes) && bytes > 0 && base + bytes <= ramBytes)) {
    throw new RangeError(`trace region ${base}+${bytes} is not inside guest RAM (${ramBytes} bytes)`);
  }
  let at = align8(base);
  const take = (n: number): number => {
    const here = at;
    at = align8(at + n);
    return here;
  };
  const stateBytes = Math.max(1, Math.ceil(eventCount / 8));
  const statePage = take(stateBytes);
  const descriptor = take(DMA_DESC_BYTES);
  const handshake = take(HANDSHAKE_BYTES);
  const status = take(STATUS_BYTES);
  const mailbox = take(MAILBOX_BYTES);
  const names = take(namesBytes);
  const earlyWanted = region.earlyBytes ?? Math.min(1024, region.batchBytes ?? 1024);
  const earlyBytes = earlyWanted === 0 ? 0 : Math.max(earlyWanted, MIN_BATCH_BYTES);
  const early = take(earlyBytes);
  const left = base + bytes - at;
  const batchBytes = Math.min(region.batchBytes ?? 65536, left);
  if (!(batchBytes >= MIN_BATCH_BYTES) || (region.batchBytes !== undefined && batchBytes < region.batchBytes)) {
    throw new RangeError(`trace region of ${bytes} bytes leaves ${left} for the batch buffer (need ${region.batchBytes ?? MIN_BATCH_BYTES})`);
  }
  if (earlyBytes > batchBytes) throw new RangeError(`the early buffer (${earlyBytes}) must not be larger than the batch buffer (${batchBytes})`);
  const batch = take(batchBytes);
  return { statePage, stateBytes, descriptor, handshake, status, mailbox, names, namesBytes, early, earlyBytes, batch, batchBytes };
}
