// The seam between buses and devices: what a device registers for a port or MMIO range.

/** Access widths in bytes. */
export type AccessSize = 1 | 2 | 4 | 8;

/**
 * Handlers for a range of ports or MMIO addresses. `offset` is relative to the start of the registered range.
 * Values of up to 4 bytes are numbers (unsigned); 8-byte values are bigints. A handler must not throw because of
 * anything a guest did: bad accesses get a benign value (all ones) or are ignored, as hardware does.
 */
export interface AccessHandlers {
  /** Widths the range accepts; other widths never reach the handlers (reads give all ones, writes are dropped). */
  readonly sizes: readonly AccessSize[];
  read?(offset: number, size: AccessSize): number | bigint;
  write?(offset: number, size: AccessSize, value: number | bigint): void;
}

/** Registers handlers on a bus; what devices see of a bus. */
export interface Bus {
  /**
   * Claims [base, base + length) for `owner`. Throws TraceError('E_STATE') when any part is already claimed:
   * overlapping devices are a machine-construction bug, not a guest error.
   */
  register(base: number, length: number, owner: string, handlers: AccessHandlers): void;
}
