// fw_cfg on a real machine: the real port and MMIO buses, shared guest RAM, a guest program as firmware, and the
// device's tracepoints reaching a sink through the machine's tracer.
import { InMemorySink } from '@unitrace/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFwCfg, type FwCfgDevice } from '../src/devices/fw-cfg/fw-cfg.js';
import { createMachine, type Machine } from '../src/machine.js';
import { FW_GUEST } from './fw-cfg-guest.js';

vi.setConfig({ testTimeout: 60_000 });

const guest = new URL('./fw-cfg-guest.ts', import.meta.url);
const DATA = Uint8Array.from({ length: 300 }, (_, i) => (i * 31 + 7) & 0xff);
const machines: Machine[] = [];
afterEach(async () => {
  for (const m of machines.splice(0)) await m.quit();
});

function setUp(board: 'pc' | 'virt'): { machine: Machine; dev: FwCfgDevice; store: Uint8Array; writes: number[][] } {
  const dev = createFwCfg({ variant: board === 'pc' ? 'io' : 'mmio' });
  const store = new Uint8Array(8);
  const writes: number[][] = [];
  dev.addFile('opt/unitrace/test/records', store, { writable: true, onWrite: (o, l, d) => writes.push([o, l, ...d]) });
  dev.addFile('opt/unitrace/test/data', DATA);
  dev.addFile('etc/boot-fail-wait', Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  const machine = createMachine({ board, devices: [dev], ramBytes: 1 << 20 });
  machines.push(machine);
  return { machine, dev, store, writes };
}

function results(ram: Uint8Array): number[] {
  const v = new DataView(ram.buffer, ram.byteOffset);
  return Array.from({ length: v.getUint32(FW_GUEST.OUT, true) }, (_, i) => v.getUint32(FW_GUEST.OUT + 4 + 4 * i, true));
}

const ARGS = { data: 'opt/unitrace/test/data', writable: 'opt/unitrace/test/records' };

describe.each([
  ['pc', 'in-thread'],
  ['pc', 'worker'],
  ['virt', 'in-thread'],
] as const)('fw_cfg on a %s machine, guest %s', (board, mode) => {
  it('serves a firmware-style boot: signature, ID, DMA signature, directory, DMA read and write', async () => {
    const { machine, dev, store, writes } = setUp(board);
    const outcome = await machine.runGuest(guest, { ...ARGS, board }, { mode });
    expect(outcome.kind).toBe('returned');
    const r = results(machine.ram.bytes);
    // Files sort as etc/…, opt/unitrace/test/data, opt/unitrace/test/records.
    expect(dev.keyOf('opt/unitrace/test/data')).toBe(0x21);
    expect(r.slice(0, 12)).toEqual([
      0x51, 0x45, 0x4d, 0x55, // "QEMU"
      3, // FW_CFG_VERSION | FW_CFG_VERSION_DMA
      0x554d4551, 0x47464320, // "QEMU" " CFG" as little-endian loads
      0x21, 300, 0, // data key, size, DMA read control
      0x22, 0, // writable key, DMA write control
    ]);
    expect(r[12]).toBe(1); // a write to a read-only file is refused with ERROR
    expect(machine.ram.bytes.subarray(FW_GUEST.READ_BUF, FW_GUEST.READ_BUF + 300)).toEqual(DATA);
    const written = [0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7];
    expect([...store]).toEqual(written);
    expect(writes).toEqual([[0, 8, ...written]]);
  });
});

describe('fw_cfg tracepoints on the machine tracer', () => {
  it('adopts the machine tracepoints at attach and records selects, reads and DMA', async () => {
    const { machine } = setUp('pc');
    const sink = new InMemorySink();
    machine.tracer.addSink(sink);
    machine.tracer.registry.enable('fw_cfg_*');
    await machine.runGuest(guest, { ...ARGS, board: 'pc' }, { mode: 'in-thread' });
    machine.tracer.deliver();
    const named = (name: string): Record<string, unknown>[] => sink.records.filter((x) => x.name === name).map((x) => x.args);
    expect(named('fw_cfg_select')[0]).toMatchObject({ key_value: 0, key_name: 'signature', ret: 1 });
    expect(named('fw_cfg_read').slice(0, 4).map((a) => a.ret)).toEqual([0x51n, 0x45n, 0x4dn, 0x55n]); // uint64_t ret
    expect(named('fw_cfg_dma_transfer')[0]).toMatchObject({ control: 0x21000a, length: 300, key: 0x21 });
    expect(named('fw_cfg_dma_write')).toEqual([{ key_value: 0x22, offset: 0, len: 8 }]);
    expect(named('fw_cfg_dma_error')).toEqual([{ addr: BigInt(FW_GUEST.WRITE_BUF), reason: 'write to a read-only item' }]);
  });
});
