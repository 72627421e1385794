// The fw_cfg DMA engine: one descriptor, run synchronously inside the triggering register write (spec §9.5).
import type { GuestMemory } from '../../memory/guest-memory.js';
import type { FwCfgItems } from './items.js';
import {
  FW_CFG_DMA_CTL_ERROR,
  FW_CFG_DMA_CTL_READ,
  FW_CFG_DMA_CTL_SELECT,
  FW_CFG_DMA_CTL_SKIP,
  FW_CFG_DMA_CTL_WRITE,
  FW_CFG_DMA_DESC_SIZE,
  FW_CFG_INVALID,
} from './keys.js';
import type { FwCfgTrace } from './trace.js';

/** A guest-physical address: a number while it is a safe integer, a bigint (below 2^64) beyond. */
export type GuestAddress = number | bigint;

/** What the engine needs of the device: its selection, its items, and where callback failures go. */
export interface FwCfgDmaTarget {
  /** The selected key, or FW_CFG_INVALID. */
  readonly selected: number;
  /** The data offset inside the selected item; the engine advances it. */
  offset: number;
  /** Where the selected key's item is looked up, chunk by chunk. */
  readonly items: FwCfgItems;
  /** DMA tracepoints, when any. */
  readonly trace: FwCfgTrace | undefined;
  /** A full select (offset reset, select callback), as the selector register does. */
  select(key: number): void;
  /** A host write callback threw; the device reports it once the guest's access is over. */
  callbackFailed(error: unknown): void;
}

const MASK64 = (1n << 64n) - 1n;
// Scratch for the descriptor and the final control word: DMA runs to completion before the next one can start.
const desc = new Uint8Array(FW_CFG_DMA_DESC_SIZE);
const descView = new DataView(desc.buffer);
const control = new Uint8Array(4);
const controlView = new DataView(control.buffer);

/** Joins two u32 halves; a number while exact, so ordinary RAM addresses allocate nothing. */
export function joinAddress(high: number, low: number): GuestAddress {
  return high < 0x200000 ? high * 0x100000000 + low : (BigInt(high) << 32n) | BigInt(low);
}

// u64 arithmetic: the address wraps at 2^64 like QEMU's dma_addr_t (only SKIP can get there without an error).
function advance(address: GuestAddress, n: number): GuestAddress {
  if (typeof address === 'number') {
    const sum = address + n;
    return sum <= Number.MAX_SAFE_INTEGER ? sum : BigInt(address) + BigInt(n);
  }
  return (address + BigInt(n)) & MASK64;
}

/**
 * Runs the descriptor at `descAddr` exactly as spec §9.5 says: read it (or store ERROR at its first word), SELECT,
 * pick READ over WRITE over SKIP, move data in at most two chunks (item bytes, then the part past the end), and
 * store the final control word big-endian. Never throws for any guest value; every guest access is range-checked
 * by GuestMemory before it touches RAM, so a wild length cannot make it allocate or loop.
 */
export function runDmaTransfer(target: FwCfgDmaTarget, memory: GuestMemory, descAddr: GuestAddress): void {
  const trace = target.trace;
  if (!memory.read(descAddr, FW_CFG_DMA_DESC_SIZE, desc)) {
    controlView.setUint32(0, FW_CFG_DMA_CTL_ERROR);
    memory.write(descAddr, control);
    trace?.fw_cfg_dma_error(descAddr, 'descriptor outside RAM');
    return;
  }
  const requested = descView.getUint32(0);
  let length = descView.getUint32(4);
  let address = joinAddress(descView.getUint32(8), descView.getUint32(12));

  if (requested & FW_CFG_DMA_CTL_SELECT) target.select(requested >>> 16);
  const read = (requested & FW_CFG_DMA_CTL_READ) !== 0;
  const write = !read && (requested & FW_CFG_DMA_CTL_WRITE) !== 0;
  if (!read && !write && !(requested & FW_CFG_DMA_CTL_SKIP)) length = 0;
  trace?.fw_cfg_dma_transfer(descAddr, requested, length, address, target.selected);

  let status = 0;
  let failure: string | undefined;
  let callbackError: unknown;
  let callbackThrew = false;
  while (length > 0 && status === 0) {
    const key = target.selected;
    // Re-read every chunk: a select or write callback may have replaced the item (QEMU keeps a pointer to the slot).
    const item = key === FW_CFG_INVALID ? undefined : target.items.get(key);
    const offset = target.offset;
    let len: number;
    if (item === undefined || offset >= item.data.length) {
      len = length;
      if (read && !memory.fill(address, len, 0)) failure = 'buffer outside RAM';
      if (write) failure = 'write past the end of the item';
    } else {
      const data = item.data;
      len = Math.min(length, data.length - offset);
      const chunk = data.subarray(offset, offset + len);
      if (read && !memory.write(address, chunk)) failure = 'buffer outside RAM';
      if (write) {
        if (!item.writable) failure = 'write to a read-only item';
        else if (len !== length) failure = 'write longer than the item';
        else if (!memory.read(address, len, chunk)) failure = 'buffer outside RAM';
        else {
          trace?.fw_cfg_dma_write(key, offset, len);
          try {
            item.onWrite?.(offset, len, data);
          } catch (error) {
            callbackThrew = true;
            callbackError = error;
            failure = 'write callback failed';
          }
        }
      }
      target.offset = offset + len;
    }
    if (failure !== undefined) {
      status = FW_CFG_DMA_CTL_ERROR;
      trace?.fw_cfg_dma_error(address, failure);
    }
    address = advance(address, len);
    length -= len;
  }

  controlView.setUint32(0, status);
  memory.write(descAddr, control);
  trace?.fw_cfg_read(0, 0);
  if (callbackThrew) target.callbackFailed(callbackError);
}
