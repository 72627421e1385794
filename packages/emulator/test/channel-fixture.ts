// Machines for the guest channel tests: a host catalog with the test firmware (fw) and kernel (kernel) sources, a
// fw_cfg device with the fw channel, the hypercall channel for the kernel, and an in-memory sink on the tracer.
import { fileURLToPath } from 'node:url';
import { createRegistry, createTracer, loadCatalog, type Registry, type Tracer } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { createFwCfgChannel, type FwCfgChannel } from '../src/channels/fw-cfg-channel.js';
import { createHypercallChannel, type HypercallChannel } from '../src/channels/hypercall-channel.js';
import { createFwCfg } from '../src/devices/fw-cfg/fw-cfg.js';
import { createMachine, type Machine } from '../src/machine.js';
import { readResults } from './guests/layout.js';

/** The host catalog: the emulator's own events, then `fw` and `kernel`. */
export const CHANNEL_CATALOG: string = fileURLToPath(new URL('./guests/channel-catalog/trace-events', import.meta.url));

/** A guest program of the firmware SDK's tests (they are firmware: they live with the SDK, the machine boots them). */
export function sdkGuest(name: string): URL {
  return new URL(`../../firmware-sdk/test/guests/${name}.ts`, import.meta.url);
}

/** Guest RAM the tests use: results, flags, and the tracer's region. */
export const PLACES = { out: 0x1000, flags: 0x1800, region: 0x10000, regionBytes: 0x10000 } as const;

/** A machine wired for channel tests, with everything a test inspects. */
export interface ChannelRig {
  readonly machine: Machine;
  readonly tracer: Tracer;
  readonly registry: Registry;
  readonly sink: InMemorySink;
  readonly fw: FwCfgChannel;
  readonly kernel: HypercallChannel;
  /** The arguments every channel guest takes, for this board. */
  readonly args: Record<string, unknown>;
  /** The u32 results the guest appended. */
  results(): number[];
  /** Waits until the guest sets flag `i` to `value`. */
  waitFlag(i: number, value: number, timeoutMs?: number): Promise<void>;
  /** Sets flag `i` for the guest. */
  setFlag(i: number, value: number): void;
}

const rigs: Machine[] = [];

/** Quits every machine made since the last call (use in afterEach). */
export async function quitRigs(): Promise<void> {
  for (const m of rigs.splice(0)) await m.quit();
}

/**
 * Builds a machine on `board` whose tracer has the channel catalog, every guest event and every channel
 * tracepoint enabled, and an InMemorySink attached.
 */
export function channelRig(board: 'pc' | 'virt', options: { enable?: readonly string[]; queueBytes?: number } = {}): ChannelRig {
  const registry = createRegistry(loadCatalog(CHANNEL_CATALOG));
  const tracer = createTracer({ registry, exitFlush: false });
  const sink = new InMemorySink();
  tracer.addSink(sink);
  for (const pattern of options.enable ?? ['fw_*', 'k_*', 'guest_channel_*']) registry.enable(pattern);
  const fwCfg = createFwCfg({ variant: board === 'pc' ? 'io' : 'mmio' });
  const fw = createFwCfgChannel({ fwCfg, source: 'fw', ...(options.queueBytes === undefined ? {} : { queueBytes: options.queueBytes }) });
  const kernel = createHypercallChannel({ source: 'kernel' });
  const machine = createMachine({ board, tracer, devices: [fwCfg, fw, kernel], ramBytes: 1 << 20 });
  rigs.push(machine);
  const flags = (): Int32Array => new Int32Array(machine.ram.buffer, PLACES.flags, 8);
  return {
    machine,
    tracer,
    registry,
    sink,
    fw,
    kernel,
    args: { ...PLACES, board },
    results: () => readResults(machine.ram.bytes, PLACES.out),
    async waitFlag(i, value, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Atomics.load(flags(), i) !== value) {
        if (Date.now() > deadline) throw new Error(`guest never set flag ${i} to ${value}`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    setFlag(i, value) {
      Atomics.store(flags(), i, value);
    },
  };
}

/** Records of one source, by name, with their arguments. */
export function recordsOf(sink: InMemorySink, source: string): Array<{ name: string; args: Record<string, unknown>; id: bigint }> {
  return sink.records.filter((r) => r.source === source).map((r) => ({ name: r.name, args: r.args, id: r.id }));
}

/** The host's channel tracepoints a sink captured, by name. */
export function channelEvents(sink: InMemorySink, name: string): Array<Record<string, unknown>> {
  return sink.records.filter((r) => r.name === name).map((r) => r.args);
}
