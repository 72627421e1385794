// The demo firmware: what a BIOS does at power-on on this machine, traced step by step. It finds fw_cfg, walks its
// directory, opens the trace channel (replaying what it traced before), reads the boot order, sizes and tests RAM,
// reads the kernel command line, loads the kernel by DMA, writes the boot information block and jumps to the kernel.
// It reaches the machine only through the Cpu interface.
import type { Cpu } from '@unitrace/core';
import { type FwCfgClient, createGuestTracer, fwCfgTransport, openFwCfg } from '../../src/index.js';
import { crc32, memtestPass } from './checks.js';
import * as L from './layout.js';
import { SOURCE, type Trace, bindTrace } from './trace.js';

const MEMTEST_PATTERNS = [0x55aa55aa, 0xaa55aa55, 0];

/** The firmware's GuestMain. `args.board` is `pc` or `virt` (where to look for fw_cfg); anything else probes. */
export default function firmware(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  const board = args.board === 'pc' || args.board === 'virt' ? args.board : 'auto';
  const tracer = createGuestTracer(cpu, {
    source: SOURCE,
    ram: { base: L.TRACE_REGION, bytes: L.TRACE_REGION_BYTES, earlyBytes: L.TRACE_EARLY_BYTES },
  });
  const trace = bindTrace(tracer);
  const halt = (code: number, why: string): never => {
    trace.fw_halt(code, why);
    tracer.shutdown();
    return cpu.halt(code);
  };

  // Power-on: everything up to the channel lands in the SDK's early buffer.
  trace.fw_power_on(board, cpu.tscHz);
  const fw = openFwCfg(cpu, { board, descriptor: L.FW_DMA_DESCRIPTOR });
  if (!fw) return halt(L.HALT_NO_FW_CFG, 'no fw_cfg device');
  fw.select(0x00);
  const signature = readLe(fw, 4);
  fw.select(0x01);
  trace.fw_fwcfg_found(signature, readLe(fw, 4), fw.dma ? 1 : 0);
  const files = fw.files({ address: L.FW_SCRATCH, bytes: L.FW_SCRATCH_BYTES });
  trace.fw_fwcfg_dir(files.length);
  for (const f of files) trace.fw_fwcfg_file(f.key, f.size, f.name);

  tracer.connect(fwCfgTransport({ board }));
  const early = tracer.stats();
  trace.fw_trace_ready(early.sent, early.dropped);

  const item = (name: string): string | undefined => {
    const f = files.find((x) => x.name === name);
    if (!f || f.size === 0 || f.size > L.FW_SCRATCH_BYTES || !fw.dmaRead(f.key, L.FW_SCRATCH, f.size)) return undefined;
    return text(cpu.ram, L.FW_SCRATCH, f.size);
  };
  const bootOrder = (item('bootorder') ?? '').split('\n').filter((e) => e !== '');
  trace.fw_boot_order(bootOrder.length, bootOrder[0] ?? '');
  // One batch per boot phase: each is one exit, and the host sees the boot as it goes.
  tracer.flush();

  fw.select(L.KEY_RAM_SIZE);
  const ramSize = readLe(fw, 4) + readLe(fw, 4) * 4294967296;
  trace.fw_ram_size(ramSize);
  memoryTest(cpu, trace, Math.min(L.MEMTEST_BYTES, Math.max(0, cpu.ram.length - L.MEMTEST_BASE - 0x10000)));
  tracer.flush();

  heartbeats(cpu, trace, () => tracer.flush(), Number(item(L.ITEM_HEARTBEATS) ?? 0), Number(item(L.ITEM_HEARTBEAT_MS) ?? 20));

  // The command line goes where fw_cfg says, as SeaBIOS's linuxboot does with CMDLINE_ADDR.
  const cmdlineAddr = readKey(fw, L.KEY_CMDLINE_ADDR);
  const cmdlineSize = readKey(fw, L.KEY_CMDLINE_SIZE);
  let cmdlineLength = 0;
  if (cmdlineSize > 0 && cmdlineAddr > 0 && cmdlineAddr + cmdlineSize <= cpu.ram.length && fw.dmaRead(L.KEY_CMDLINE_DATA, cmdlineAddr, cmdlineSize)) {
    const line = text(cpu.ram, cmdlineAddr, cmdlineSize);
    cmdlineLength = line.length;
    trace.fw_cmdline(cmdlineAddr, cmdlineLength, line);
  }
  tracer.flush();

  const kernelAddr = readKey(fw, L.KEY_KERNEL_ADDR);
  const kernelSize = readKey(fw, L.KEY_KERNEL_SIZE);
  const entry = readKey(fw, L.KEY_KERNEL_ENTRY);
  if (kernelSize === 0) return halt(L.HALT_NO_KERNEL, 'no kernel (fw_cfg KERNEL_SIZE is 0)');
  trace.fw_kernel_load(kernelAddr, kernelSize, entry);
  const t0 = cpu.rdtsc();
  if (kernelAddr + kernelSize > cpu.ram.length || !fw.dmaRead(L.KEY_KERNEL_DATA, kernelAddr, kernelSize)) {
    return halt(L.HALT_KERNEL_LOAD, 'the kernel does not fit in RAM or its DMA failed');
  }
  trace.fw_kernel_loaded(kernelSize, crc32(cpu.ram, kernelAddr, kernelSize), cpu.rdtsc() - t0);

  const v = cpu.ramView;
  v.setUint32(L.BOOT_INFO + L.BI_MAGIC, L.BOOT_INFO_MAGIC, true);
  v.setUint32(L.BOOT_INFO + L.BI_VERSION, L.BOOT_INFO_VERSION, true);
  v.setUint32(L.BOOT_INFO + L.BI_CMDLINE_ADDR, cmdlineLength > 0 ? cmdlineAddr : 0, true);
  v.setUint32(L.BOOT_INFO + L.BI_CMDLINE_LEN, cmdlineLength, true);
  trace.fw_boot_info(L.BOOT_INFO, cmdlineLength > 0 ? cmdlineAddr : 0);
  trace.fw_jump(entry);
  // The last batch leaves before the vCPU becomes the kernel's.
  tracer.shutdown();
  cpu.jump(entry);
}

function memoryTest(cpu: Cpu, trace: Trace, length: number): void {
  const t0 = cpu.rdtsc();
  let errors = 0;
  for (const pattern of MEMTEST_PATTERNS) {
    const e = memtestPass(cpu.ramView, L.MEMTEST_BASE, length, pattern);
    trace.fw_memtest_pass(pattern, L.MEMTEST_BASE, length, e);
    errors += e;
  }
  cpu.ram.fill(0, L.MEMTEST_BASE, L.MEMTEST_BASE + length);
  trace.fw_memtest_done(length * MEMTEST_PATTERNS.length, errors, cpu.rdtsc() - t0);
}

// Test mode: a traced step repeated with a pause, each one sent at once, so a monitor can switch it off and on.
function heartbeats(cpu: Cpu, trace: Trace, flush: () => void, count: number, pauseMs: number): void {
  const n = Number.isSafeInteger(count) && count > 0 ? Math.min(count, 1_000_000) : 0;
  const ticks = (Number.isFinite(pauseMs) && pauseMs > 0 ? pauseMs : 0) * (cpu.tscHz / 1000);
  for (let i = 1; i <= n; i++) {
    trace.fw_heartbeat(i, n);
    flush();
    const until = cpu.rdtsc() + ticks;
    while (cpu.rdtsc() < until) {
      // A firmware delay loop: the guest clock is the only time it has.
    }
  }
}

/** Reads `bytes` (≤ 4) little-endian bytes through the data register. */
function readLe(fw: FwCfgClient, bytes: number): number {
  let v = 0;
  for (let i = 0; i < bytes; i++) v += fw.readByte() * 2 ** (8 * i);
  return v;
}

/** A u32 item by key (0 when absent: a missing item reads as zeros). */
function readKey(fw: FwCfgClient, key: number): number {
  fw.select(key);
  return readLe(fw, 4);
}

/** Latin-1 text of guest RAM up to the first NUL or `length` bytes. */
function text(ram: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = 0; i < length && ram[at + i] !== 0; i++) s += String.fromCharCode(ram[at + i]);
  return s;
}
