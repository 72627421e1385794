// The guest of figures 5 and 6: firmware (or a kernel) built with the firmware SDK on the worker vCPU, tracing a
// 4-integer event in a loop and timing itself with the guest clock. It reaches the host through its Cpu only.
import type { Cpu } from '@unitrace/core';
import { fwCfgTransport, hypercallTransport, initTracing, openFwCfg, readStatus, STATUS_BYTES } from '@unitrace/firmware-sdk';
import { bindTrace as bindFw, SOURCE as FW } from './generated/fw-trace.js';
import { bindTrace as bindK, SOURCE as K } from './generated/k-trace.js';

/** What the host passes (numbers are guest addresses and counts). */
export interface GuestBenchArgs {
  /** `fw`: fw_cfg DMA batches; `hypercall`: one exit per event; `disabled`: a disabled event; `exits`: bare port writes. */
  readonly mode: 'fw' | 'hypercall' | 'disabled' | 'exits';
  readonly count: number;
  /** Where the results go (f64 words, see RESULT). */
  readonly out: number;
  /** The tracer's RAM region. */
  readonly region: number;
  readonly regionBytes: number;
  readonly batchBytes: number;
  /** The port a bare-exit loop writes (figure 5's round trip). */
  readonly port: number;
  /** `exits` mode: after the timed loop, how many exits to time one by one (f64 ticks each, from `samplesAt`). */
  readonly samples?: number;
  readonly samplesAt?: number;
  /** `fw` mode: guest RAM for a DMA descriptor, a directory scratch of `scratchBytes` and a status block. */
  readonly descAt?: number;
  readonly scratchAt?: number;
  readonly scratchBytes?: number;
  readonly statusAt?: number;
}

/** Offsets (in f64 words from `out`) of what the guest reports. */
export const RESULT = { state: 0, ticks: 1, exits: 2, sent: 3, dropped: 4, sends: 5, emptyTicks: 6, tscHz: 7, decodedTicks: 8, hostAccepted: 9 } as const;

/** Accepted (1), by name (2); anything else means the channel did not take the handshake. */
const STATES: Readonly<Record<string, number>> = { none: 0, accepted: 1, 'accepted-by-name': 2, refused: 3, unavailable: 4 };

export default function guestBench(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = raw as unknown as GuestBenchArgs;
  const put = (k: number, v: number): void => cpu.ramView.setFloat64(a.out + 8 * k, v, true);
  put(RESULT.tscHz, cpu.tscHz);
  const n = a.count;
  if (a.mode === 'exits') {
    const e0 = cpu.exits;
    const t0 = cpu.rdtsc();
    for (let i = 0; i < n; i++) cpu.outb(a.port, i & 0xff);
    put(RESULT.ticks, cpu.rdtsc() - t0);
    put(RESULT.exits, cpu.exits - e0);
    // One by one: each sample is one exit plus one clock read (the next sample's start is this one's end).
    const k = a.samples ?? 0;
    let last = cpu.rdtsc();
    for (let i = 0; i < k; i++) {
      cpu.outb(a.port, i & 0xff);
      const now = cpu.rdtsc();
      cpu.ramView.setFloat64(a.samplesAt! + 8 * i, now - last, true);
      last = now;
    }
    return;
  }
  const ram = { base: a.region, bytes: a.regionBytes, batchBytes: a.batchBytes };
  const hyper = a.mode === 'hypercall';
  const tracer = initTracing(cpu, { source: hyper ? K : FW, ram, transport: hyper ? hypercallTransport({}) : fwCfgTransport({}) });
  put(RESULT.state, STATES[tracer.status().state] ?? -1);
  // fw mode: the channel's status item, found before the clock starts. Reading it after the loop waits until the
  // host has decoded every batch it took (the status counters are exact), which the guest's own time does not.
  let status: (() => number) | undefined;
  if (a.mode === 'fw' && a.descAt !== undefined && a.scratchAt !== undefined && a.statusAt !== undefined) {
    const fw = openFwCfg(cpu, { descriptor: a.descAt });
    const item = fw?.findFile(`opt/unitrace/${FW.name}/status`, { address: a.scratchAt, bytes: a.scratchBytes ?? 0 });
    if (fw && item) {
      const at = a.statusAt;
      status = () => (fw.dmaRead(item.key, at, STATUS_BYTES) ? readStatus(cpu.ram, at).accepted : -1);
    }
  }
  const e0 = cpu.exits;
  let t0 = cpu.rdtsc();
  if (hyper) {
    const trace = bindK(tracer);
    for (let i = 0; i < n; i++) trace.bench_k_four(i, i * 2, i & 0xffff, -i);
  } else if (a.mode === 'fw') {
    const trace = bindFw(tracer);
    for (let i = 0; i < n; i++) trace.bench_fw_four(i, i * 2, i & 0xffff, -i);
  } else {
    const trace = bindFw(tracer);
    for (let i = 0; i < n; i++) trace.bench_fw_off(i, i * 2, i & 0xffff, -i);
  }
  tracer.flush(); // the last partial batch: part of what the events cost
  put(RESULT.ticks, cpu.rdtsc() - t0);
  put(RESULT.exits, cpu.exits - e0);
  if (status !== undefined) {
    put(RESULT.hostAccepted, status());
    put(RESULT.decodedTicks, cpu.rdtsc() - t0);
  }
  const s = tracer.stats();
  put(RESULT.sent, s.sent);
  put(RESULT.dropped, s.dropped);
  put(RESULT.sends, s.sends);
  // The guest's empty loop, for figure 6's baseline.
  t0 = cpu.rdtsc();
  for (let i = 0; i < n; i++) {
    // nothing: the baseline
  }
  put(RESULT.emptyTicks, cpu.rdtsc() - t0);
  tracer.shutdown();
}
