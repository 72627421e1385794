// Guest RAM: one SharedArrayBuffer seen by devices (bounds-checked DMA) and by every vCPU thread (direct access).
import { TraceError } from '@unitrace/core';
import type { GuestMemory } from './guest-memory.js';

/** Default guest RAM size: 32 MiB. */
export const DEFAULT_RAM_BYTES: number = 32 * 1024 * 1024;
/** Largest guest RAM a machine accepts: 1 GiB. */
export const MAX_RAM_BYTES: number = 1024 * 1024 * 1024;

/** Guest RAM as the machine owns it: GuestMemory plus the shared buffer vCPU workers map. */
export interface Ram extends GuestMemory {
  /** The backing store, shared with vCPU workers. Must not be replaced or resized. */
  readonly buffer: SharedArrayBuffer;
}

/**
 * Creates zeroed guest RAM of `bytes` bytes (default 32 MiB). Throws TraceError('E_USAGE') for a size that is not
 * a whole number of bytes in 1..1 GiB: the size comes from a command line or a config, not from a guest.
 */
export function createRam(bytes: number = DEFAULT_RAM_BYTES): Ram {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_RAM_BYTES) {
    const want = `a whole number of bytes from 1 to ${MAX_RAM_BYTES}`;
    throw new TraceError('E_USAGE', `guest RAM size must be ${want}, got ${String(bytes)}`);
  }
  return new SharedRam(new SharedArrayBuffer(bytes));
}

class SharedRam implements Ram {
  readonly buffer: SharedArrayBuffer;
  readonly bytes: Uint8Array;
  readonly size: number;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.bytes = new Uint8Array(buffer);
    this.size = buffer.byteLength;
  }

  valid(addr: number | bigint, length: number): boolean {
    return this.#start(addr, length) >= 0;
  }

  read(addr: number | bigint, length: number, into?: Uint8Array): Uint8Array | undefined {
    const start = this.#start(addr, length);
    if (start < 0) return undefined;
    // A destination too small for the request is a host bug; refusing beats a partial copy that looks complete.
    if (into !== undefined && !(into instanceof Uint8Array && into.length >= length)) return undefined;
    const out = into ?? new Uint8Array(length);
    out.set(this.bytes.subarray(start, start + length));
    return out;
  }

  write(addr: number | bigint, data: Uint8Array): boolean {
    if (!(data instanceof Uint8Array)) return false;
    const start = this.#start(addr, data.length);
    if (start < 0) return false;
    this.bytes.set(data, start);
    return true;
  }

  fill(addr: number | bigint, length: number, value = 0): boolean {
    const start = this.#start(addr, length);
    if (start < 0) return false;
    this.bytes.fill(Number(value) & 0xff, start, start + length);
    return true;
  }

  /** The index of `addr`, or -1 when any byte of [addr, addr + length) is outside RAM or an input is no integer. */
  #start(addr: number | bigint, length: number): number {
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) return -1;
    let a: number;
    if (typeof addr === 'bigint') {
      // Compare as bigint against numbers (no allocation) before converting, so 2^64-scale addresses never round.
      if (addr < 0 || addr > this.size) return -1;
      a = Number(addr);
    } else if (typeof addr === 'number' && Number.isSafeInteger(addr) && addr >= 0) {
      a = addr;
    } else {
      return -1;
    }
    return a + length <= this.size ? a : -1;
  }
}
