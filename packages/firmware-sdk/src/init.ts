// One call for firmware that has nothing to trace before its channel can be found.
import type { Cpu } from '@unitrace/core';
import { type GuestTracer, type GuestTracerOptions, createGuestTracer } from './tracer/guest-tracer.js';
import type { Transport } from './transport/transport.js';

/** Options of `initTracing`: a tracer's options plus the transport (default fw_cfg, board probed). */
export interface InitTracingOptions extends GuestTracerOptions {
  readonly transport?: Transport;
}

/**
 * Creates the tracer and connects it: finds the channel, handshakes, reads the status. Check `tracer.status()`:
 * when refused, the reason is in its text and nothing will ever be sent. Throws only for a bad RAM region.
 */
export function initTracing(cpu: Cpu, options: InitTracingOptions): GuestTracer {
  const tracer = createGuestTracer(cpu, options);
  tracer.connect(options.transport);
  return tracer;
}
