// Guest: firmware that finds fw_cfg by probing, handshakes, and traces a few hundred records in several batches.
import type { Cpu } from '@unitrace/core';
import { fwCfgTransport, initTracing } from '@unitrace/firmware-sdk';
import { STATE_CODES, GuestOut, channelArgs, region } from './channel-out.js';
import { bindTrace, SOURCE } from './channel-fw/trace.js';

export default function basic(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const tracer = initTracing(cpu, { source: SOURCE, ram: region(a), transport: fwCfgTransport({ board: a.board ?? 'auto' }) });
  out.push(STATE_CODES[tracer.status().state]);
  const trace = bindTrace(tracer);
  trace.fw_boot(1, 'hello');
  trace.fw_value(0x1122334455667788n, -5);
  trace.fw_tick();
  trace.fw_note(null);
  for (let i = 0; i < 300; i++) trace.fw_value(i, -i);
  tracer.shutdown();
  const s = tracer.stats();
  out.push(s.sent);
  out.push(s.dropped);
  out.push(s.sends);
}
