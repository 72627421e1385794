// A device of the machine: a name, the port and MMIO ranges it claims, and its reset.
import type { Tracer } from '@unitrace/core';
import type { Board } from '../boards.js';
import type { TraceEvents } from '../generated/trace.js';
import type { GuestClock } from '../guest-clock.js';
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
  /** The emulator's own tracepoints, bound to the machine's tracer (always callable; cheap when disabled). */
  readonly trace: TraceEvents;
  /** The machine's tracer, for devices that forward records they did not generate (guest channels). */
  readonly tracer: Tracer;
  /** The guest clock, to put guest timestamps on the host time axis (`toHostNs`). */
  readonly clock: GuestClock;
  /** The board the machine is (where fixed devices such as fw_cfg sit). */
  readonly board: Board;
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
