// Guest: a batch buffer that must not be flushed when full (say, inside an interrupt handler): the overflow is
// dropped, counted, and reported with the next batch.
import type { Cpu } from '@unitrace/core';
import { fwCfgTransport, initTracing } from '@unitrace/firmware-sdk';
import { GuestOut, channelArgs, region } from './channel-out.js';
import { bindTrace, SOURCE } from './channel-fw/trace.js';

export default function drops(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const ram = region(a, { batchBytes: 256 });
  const tracer = initTracing(cpu, { source: SOURCE, ram, flushWhenFull: false, transport: fwCfgTransport({ board: a.board }) });
  const trace = bindTrace(tracer);
  const exits = cpu.exits;
  for (let i = 0; i < 20; i++) trace.fw_value(i, 0); // 40 bytes each: five fit in 256 - 32
  out.push(cpu.exits - exits);
  tracer.flush();
  trace.fw_tick();
  tracer.shutdown();
  out.push(tracer.stats().dropped);
}
