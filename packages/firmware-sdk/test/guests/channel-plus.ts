// Guest: firmware built from a later catalog (one event added). Without names it must be refused; with names the
// host maps by name and reports the event it does not know.
import type { Cpu } from '@unitrace/core';
import { fwCfgTransport, initTracing } from '@unitrace/firmware-sdk';
import { STATE_CODES, GuestOut, channelArgs, region } from './channel-out.js';
import { bindTrace, SOURCE } from './channel-fw-plus/trace.js';

export default function plus(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const sendNames = (raw.names as boolean | undefined) ?? true;
  const tracer = initTracing(cpu, { source: SOURCE, ram: region(a), sendNames, transport: fwCfgTransport({ board: a.board }) });
  const status = tracer.status();
  out.push(STATE_CODES[status.state]);
  out.push(status.reason);
  out.push(status.unknownEvents);
  out.text(status.text);
  const trace = bindTrace(tracer);
  trace.fw_boot(2, 'plus');
  for (let i = 0; i < 3; i++) trace.fw_extra(i);
  trace.fw_value(9, 1);
  trace.fw_tick();
  const exits = cpu.exits;
  tracer.shutdown();
  out.push(cpu.exits - exits);
}
