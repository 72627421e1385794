// A device of the machine: a name, the port and MMIO ranges it claims, and its reset.
import type { Bus } from '../io/handlers.js';
import type { GuestMemory } from '../memory/guest-memory.js';

/** What a device gets when it is attached to a machine. */
export interface DeviceContext {
  /** The port I/O bus (x86 `in`/`out`). */
  readonly io: Bus;
  /** The MMIO bus. */
  readonly mmio: Bus;
  /** Guest RAM for DMA. */
  readonly memory: GuestMemory;
}

/**
 * A device model. Runs on the main thread; its handlers are called synchronously for each VM exit. A device never
 * lets a guest make the host throw, hang, or allocate without bound.
 */
export interface Device {
  /** Short, unique name (`fw_cfg`, `unitrace-hypercall`). */
  readonly name: string;
  /** Claims the device's ranges on the buses. Called once, when the machine is built. */
  attach(ctx: DeviceContext): void;
  /** Returns the device to its power-on state (machine reset). */
  reset(): void;
}
