// Guest: traces two events, lets the host switch one off, then calls both a thousand times: the disabled one must
// cost no exit at all (one bit test each), the enabled one goes out in batches.
import type { Cpu } from '@unitrace/core';
import { fwCfgTransport, initTracing } from '@unitrace/firmware-sdk';
import { GuestOut, channelArgs, region, setFlag, waitFlag } from './channel-out.js';
import { bindTrace, EVENT_IDS, SOURCE } from './channel-fw/trace.js';

export default async function toggle(cpu: Cpu, raw: Readonly<Record<string, unknown>>): Promise<void> {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const tracer = initTracing(cpu, { source: SOURCE, ram: region(a), transport: fwCfgTransport({ board: a.board }) });
  const trace = bindTrace(tracer);
  for (let i = 0; i < 10; i++) {
    trace.fw_tick();
    trace.fw_value(i, 0);
  }
  tracer.flush();
  setFlag(cpu, a, 0, 1);
  await waitFlag(cpu, a, 1, 1);
  out.push(tracer.enabled(EVENT_IDS.fw_value) ? 1 : 0);
  out.push(tracer.enabled(EVENT_IDS.fw_tick) ? 1 : 0);
  const e0 = cpu.exits;
  for (let i = 0; i < 1000; i++) trace.fw_value(i, 1);
  const e1 = cpu.exits;
  for (let i = 0; i < 1000; i++) trace.fw_tick();
  const e2 = cpu.exits;
  tracer.shutdown();
  out.push(e1 - e0);
  out.push(e2 - e1);
}
