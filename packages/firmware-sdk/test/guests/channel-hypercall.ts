// Guest: a kernel on the hypercall port: one exit per record, none for a disabled event, none for records the
// mailbox cannot carry (counted and reported), and one doorbell with an id past the catalog.
import type { Cpu } from '@unitrace/core';
import { hypercallTransport, initTracing } from '@unitrace/firmware-sdk';
import { STATE_CODES, GuestOut, channelArgs, region } from './channel-out.js';
import { bindTrace, SOURCE } from './channel-kernel/trace.js';

export default function hypercall(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const board = a.board === 'auto' ? undefined : a.board;
  const tracer = initTracing(cpu, { source: SOURCE, ram: region(a), transport: hypercallTransport({ board }) });
  out.push(STATE_CODES[tracer.status().state]);
  const trace = bindTrace(tracer);
  const exits = (f: () => void): number => {
    const before = cpu.exits;
    f();
    return cpu.exits - before;
  };
  out.push(exits(() => trace.k_syscall(1, 0x1122334455667788n, -1)));
  out.push(exits(() => trace.k_syscall(2, 3, 4)));
  out.push(exits(() => trace.k_irq(5))); // disabled by the host
  out.push(exits(() => trace.k_panic('strings cannot go through the mailbox')));
  out.push(exits(() => trace.k_six(1, 2, 3, 4, 5, 6))); // six words: one too many
  out.push(exits(() => tracer.flush())); // a drops-only doorbell reports the two
  // A doorbell for an id past the catalog, as a broken kernel would ring it.
  if (board === 'virt') cpu.mmioWrite(0x0910_0008, 4, 99);
  else cpu.outl(0x5a8, 99);
  out.push(tracer.stats().dropped);
}
