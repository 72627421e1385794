// The in-thread vCPU: the guest runs on the caller's thread and every exit is a direct, synchronous bus call.
import type { GuestClock } from '../guest-clock.js';
import type { IoBus } from '../io/io-bus.js';
import type { MmioBus } from '../io/mmio-bus.js';
import { CpuBase, QuitSignal } from './cpu-base.js';

/** What an in-thread vCPU reaches: the machine's buses, RAM and clock, and whether the machine still runs. */
export interface InThreadCpuHost {
  readonly io: IoBus;
  readonly mmio: MmioBus;
  readonly ram: SharedArrayBuffer;
  readonly clock: GuestClock;
  /** False once the machine has quit: the next exit unwinds the guest. */
  alive(): boolean;
}

/**
 * A deterministic vCPU for tests and tools: no thread, no spinning; an exit costs a function call. Pausing has no
 * effect while it runs (its thread is the one that would service `stop`); quitting stops it at its next exit.
 */
export class InThreadCpu extends CpuBase {
  readonly #host: InThreadCpuHost;

  constructor(host: InThreadCpuHost) {
    super(host.ram, host.clock);
    this.#host = host;
  }

  protected portIn(port: number, size: 1 | 2 | 4): number {
    this.#check();
    return this.#host.io.read(port, size);
  }

  protected portOut(port: number, size: 1 | 2 | 4, value: number): void {
    this.#check();
    this.#host.io.write(port, size, value);
  }

  protected mmioIn(addr: number, size: 1 | 2 | 4 | 8): number | bigint {
    this.#check();
    return this.#host.mmio.read(addr, size);
  }

  protected mmioOut(addr: number, size: 1 | 2 | 4 | 8, value: number | bigint): void {
    this.#check();
    this.#host.mmio.write(addr, size, value);
  }

  #check(): void {
    if (!this.#host.alive()) throw new QuitSignal();
  }
}
