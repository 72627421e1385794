// How a guest program ended, as `runGuest` reports it.
import type { GuestErrorInfo } from './exit-protocol.js';

/** How a vCPU runs its guest: on a worker thread (exits cross threads) or on the caller's thread (direct calls). */
export type VcpuMode = 'worker' | 'in-thread';

/**
 * The end of a guest program: it halted with a code, returned from its main, threw (reported, never rethrown into
 * the host), or was terminated by `quit()`. `exits` counts the VM exits it took.
 */
export type GuestOutcome =
  | { readonly kind: 'halted'; readonly code: number; readonly exits: number }
  | { readonly kind: 'returned'; readonly exits: number }
  | { readonly kind: 'threw'; readonly error: GuestErrorInfo; readonly exits: number }
  | { readonly kind: 'terminated'; readonly exits: number };

/** Per-vCPU counters. */
export interface VcpuStats {
  readonly index: number;
  readonly mode: VcpuMode;
  /** Exits taken so far (live while the guest runs). */
  readonly exits: number;
  /**
   * `starting` while the vCPU loads its guest, `ready` while it waits for the machine to run (prelaunch or paused
   * before its first instruction), `running`, then `done`.
   */
  readonly state: 'starting' | 'ready' | 'running' | 'done';
}

/** The hooks a vCPU runner reports to (the machine traces them). */
export interface VcpuEvents {
  started(index: number, mode: VcpuMode): void;
  ended(index: number, outcome: GuestOutcome): void;
}
