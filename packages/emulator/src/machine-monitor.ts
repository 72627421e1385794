// The monitor's view of a real machine: run state, stop/cont/quit, its registry, the simple backend's trace-file
// controls, every trace source with its channel's handshake and loss counters, and every sink of its tracer.
import type { Registry } from '@unitrace/core';
import type { TraceChannel } from './channels/channel.js';
import type { Machine } from './machine.js';
import {
  type MonitorTarget,
  type RunState,
  type RunStateChange,
  type TraceFileControl,
  type TraceSinkStatus,
  type TraceSourceStatus,
  silentSource,
} from './monitor/target.js';

/** Options of `createMachineMonitor`. */
export interface MachineMonitorOptions {
  /** The guest channels among the machine's devices (found in `machine.devices` when not given). */
  readonly channels?: readonly TraceChannel[];
  /** The simple backend's trace-file controls, when that backend is attached. */
  readonly traceFile?: TraceFileControl;
}

/**
 * Adapts a machine to the monitor. Sources without a channel show handshake `none`; a guest source served by a
 * channel shows its handshake, hashes, records and losses. Must not be shared between machines.
 */
export function createMachineMonitor(machine: Machine, options: MachineMonitorOptions = {}): MonitorTarget {
  const channels = options.channels ?? machine.devices.filter(isTraceChannel);
  const registry: Registry = machine.tracer.registry;
  return {
    registry,
    ...(options.traceFile ? { traceFile: options.traceFile } : {}),
    runState: (): RunState => machine.state,
    stop: () => machine.stop(),
    cont: () => machine.cont(),
    quit: () => machine.quit(),
    onStateChange: (listener: (change: RunStateChange) => void) => machine.onStateChange(listener),
    traceSources: (): readonly TraceSourceStatus[] =>
      registry.sources.map((source) => {
        for (const ch of channels) {
          if (ch.source !== source.name) continue;
          const status = ch.sourceStatus();
          if (status) return status;
        }
        return silentSource(source);
      }),
    traceSinks: (): readonly TraceSinkStatus[] => machine.tracer.sinkStatus(),
    get cpuCount(): number {
      return Math.max(1, machine.stats().vcpus.length);
    },
  };
}

function isTraceChannel(device: unknown): device is TraceChannel {
  const d = device as Partial<TraceChannel>;
  return typeof d.source === 'string' && typeof d.sourceStatus === 'function' && typeof d.stats === 'function';
}
