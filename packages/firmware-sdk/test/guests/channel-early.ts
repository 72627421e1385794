// Guest: traces before its channel is up (early buffer, too small for all of it), then connects.
import type { Cpu } from '@unitrace/core';
import { createGuestTracer, fwCfgTransport } from '@unitrace/firmware-sdk';
import { STATE_CODES, GuestOut, channelArgs, region } from './channel-out.js';
import { bindTrace, SOURCE } from './channel-fw/trace.js';

export default function early(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const tracer = createGuestTracer(cpu, { source: SOURCE, ram: region(a, { earlyBytes: 128 }) });
  const trace = bindTrace(tracer);
  const exits = cpu.exits;
  for (let i = 0; i < 10; i++) trace.fw_value(100 + i, i); // 40 bytes each: two fit in 128 - 32
  out.push(cpu.exits - exits);
  out.push(STATE_CODES[tracer.connect(fwCfgTransport({ board: a.board })).state]);
  trace.fw_tick();
  tracer.shutdown();
  out.push(tracer.stats().dropped);
}
