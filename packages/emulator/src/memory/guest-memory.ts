// Guest RAM as devices see it: bounds-checked DMA, never a host exception for a wild guest address.

/**
 * Guest-physical memory for device DMA. Every method checks the whole range first and touches nothing when any
 * byte is outside RAM, as a failed DMA in QEMU does (the device then reports an error to the guest).
 */
export interface GuestMemory {
  /** Bytes of guest RAM. */
  readonly size: number;
  /** The RAM itself (SharedArrayBuffer-backed), for devices that keep pages in guest RAM (state pages). */
  readonly bytes: Uint8Array;
  /** True when [addr, addr + length) lies inside RAM. Accepts any number or bigint without throwing. */
  valid(addr: number | bigint, length: number): boolean;
  /** Copies guest bytes into `into` (or a new array); undefined when the range is not all RAM. */
  read(addr: number | bigint, length: number, into?: Uint8Array): Uint8Array | undefined;
  /** Copies `data` into guest RAM at `addr`; false (nothing written) when the range is not all RAM. */
  write(addr: number | bigint, data: Uint8Array): boolean;
  /** Writes `length` zero bytes; false when the range is not all RAM. */
  fill(addr: number | bigint, length: number, value?: number): boolean;
}
