// What every guest trace channel device offers the machine and the monitor.
import type { Device } from '../devices/device.js';
import type { TraceSourceStatus } from '../monitor/target.js';
import type { ChannelStats } from './counters.js';

/** A device that carries one guest source's records into the machine's tracer. */
export interface TraceChannel extends Device {
  /** The guest source it serves. */
  readonly source: string;
  /** `fw_cfg` or `hypercall`. */
  readonly channel: string;
  /** Counters as of now (zeros before the machine attached it). */
  stats(): ChannelStats;
  /** The source as `query-trace-sources` shows it; undefined before the machine attached the device. */
  sourceStatus(): TraceSourceStatus | undefined;
}
