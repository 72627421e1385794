// fw_cfg driven the way firmware drives it: selector and data registers, DMA descriptors in guest RAM (spec §9).
import { describe, expect, it } from 'vitest';
import { type FwCfgDevice, type FwCfgOptions, createFwCfg } from '../src/devices/fw-cfg/fw-cfg.js';
import { FwCfgDriver, attachToDoubles, type Attached } from '../src/devices/fw-cfg/test-doubles.js';

const RAM = 0x10000;
const DESC = 0x1000;
const BUF = 0x2000;
const READ = 0x02;
const SKIP = 0x04;
const SELECT = 0x08;
const WRITE = 0x10;
const ERROR = 0x01;
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

interface Rig {
  readonly dev: FwCfgDevice;
  readonly fw: FwCfgDriver;
  readonly env: Attached;
  readonly ram: Uint8Array;
}

function rig(variant: 'io' | 'mmio', options: Partial<FwCfgOptions> = {}, setup?: (dev: FwCfgDevice) => void): Rig {
  const dev = createFwCfg({ variant, ...options });
  setup?.(dev);
  const env = attachToDoubles(dev, RAM);
  dev.reset();
  const base = variant === 'io' ? 0x510 : 0x09020000;
  const fw = new FwCfgDriver(variant === 'io' ? env.io : env.mmio, variant, base, env.memory.bytes);
  return { dev, fw, env, ram: env.memory.bytes };
}

/** Walks the directory as firmware does: count (BE u32), then 64-byte entries. */
function walkDirectory(fw: FwCfgDriver): { name: string; key: number; size: number }[] {
  fw.select(0x19);
  const c = fw.read(4);
  const count = ((c[0] << 24) | (c[1] << 16) | (c[2] << 8) | c[3]) >>> 0;
  const out = [];
  for (let i = 0; i < count; i++) {
    const e = fw.read(64);
    const size = ((e[0] << 24) | (e[1] << 16) | (e[2] << 8) | e[3]) >>> 0;
    const key = (e[4] << 8) | e[5];
    const nameBytes = e.slice(8);
    const name = new TextDecoder().decode(Uint8Array.from(nameBytes.slice(0, nameBytes.indexOf(0))));
    expect(e[6] | e[7]).toBe(0);
    out.push({ name, key, size });
  }
  return out;
}

describe.each(['io', 'mmio'] as const)('fw_cfg %s: selector and data registers', (variant) => {
  it('reads the signature QEMU, then zeros past its end, with the offset stopping at 4', () => {
    const { fw, dev } = rig(variant);
    fw.select(0x00);
    expect(fw.read(6)).toEqual([...text('QEMU'), 0, 0]);
    expect(dev.registers().offset).toBe(4);
  });

  it('reports FW_CFG_ID bit 0 always and bit 1 only with DMA', () => {
    const on = rig(variant);
    on.fw.select(0x01);
    expect(on.fw.read(4)).toEqual([3, 0, 0, 0]);
    const off = rig(variant, { dmaEnabled: false });
    off.fw.select(0x01);
    expect(off.fw.read(4)).toEqual([1, 0, 0, 0]);
    expect(off.fw.descriptor(DESC).control).toBe(0);
    // Without DMA nothing answers at the DMA register: reads are all ones, writes do nothing.
    expect(off.env[variant].read(off.fw.dmaBase, 4)).toBe(0xffffffff);
  });

  it('walks a sorted directory with keys 0x20 + i and re-numbers when a file is inserted before others', () => {
    const files: Record<string, number[]> = {
      'opt/zeta': [1, 2, 3],
      'etc/boot-fail-wait': [0xff, 0xff, 0xff, 0xff],
      bootorder: [],
      'opt/alpha': text('hello'),
    };
    const { fw, dev } = rig(variant, {}, (d) => {
      for (const [name, bytes] of Object.entries(files)) d.addFile(name, Uint8Array.from(bytes));
    });
    const dir = walkDirectory(fw);
    expect(dir).toEqual([
      { name: 'bootorder', key: 0x20, size: 0 },
      { name: 'etc/boot-fail-wait', key: 0x21, size: 4 },
      { name: 'opt/alpha', key: 0x22, size: 5 },
      { name: 'opt/zeta', key: 0x23, size: 3 },
    ]);
    for (const e of dir) {
      fw.select(e.key);
      expect(fw.read(e.size + 2)).toEqual([...files[e.name], 0, 0]);
    }
    // The directory is 4 + 64 × 32 bytes long: the byte after the last slot reads as the end of the item.
    fw.select(0x19);
    fw.read(4 + 64 * 32);
    expect(dev.registers().offset).toBe(2052);

    dev.addFile('etc/acpi/rsdp', new Uint8Array(20));
    expect(walkDirectory(fw).map((e) => [e.name, e.key])).toEqual([
      ['bootorder', 0x20],
      ['etc/acpi/rsdp', 0x21],
      ['etc/boot-fail-wait', 0x22],
      ['opt/alpha', 0x23],
      ['opt/zeta', 0x24],
    ]);
    expect(dev.keyOf('opt/zeta')).toBe(0x24);
    fw.select(0x24);
    expect(fw.read(3)).toEqual([1, 2, 3]);
  });

  it('ignores data-register writes', () => {
    const { fw, env, dev } = rig(variant);
    fw.select(0x00);
    fw.read(1);
    const bus = env[variant];
    if (variant === 'io') {
      bus.write(0x510, 1, 0x41);
      bus.write(0x511, 1, 0x41);
    } else {
      bus.write(0x09020000, 1, 0x41);
      bus.write(0x09020000, 8, 0x4141414141414141n);
    }
    expect(dev.registers().offset).toBe(1);
    expect(fw.read(3)).toEqual(text('EMU'));
  });

  it('turns keys at or beyond 0x20 + file_slots into FW_CFG_INVALID, whose reads are 0', () => {
    const { fw, dev } = rig(variant, { fileSlots: 0x10 }, (d) => d.addFile('opt/a', Uint8Array.of(7)));
    fw.select(0x2f);
    expect(dev.registers().selected).toBe(0x2f);
    fw.select(0x30);
    expect(dev.registers().selected).toBe(0xffff);
    expect(fw.read(3)).toEqual([0, 0, 0]);
    expect(dev.registers().offset).toBe(0);
    fw.select(0xffff);
    expect(dev.registers().selected).toBe(0xffff);
    fw.select(0x20);
    expect(fw.read(1)).toEqual([7]);
  });

  it('ignores bit 14 of a key, selects empty keys (reading 0), and resets the offset on every select', () => {
    const { fw, dev } = rig(variant);
    fw.select(0x4000);
    expect(fw.read(4)).toEqual(text('QEMU'));
    fw.select(0x8005);
    expect(dev.registers().selected).toBe(0x8005);
    expect(fw.read(2)).toEqual([0, 0]);
    fw.select(0x00);
    fw.read(2);
    fw.select(0x00);
    expect(fw.read(2)).toEqual(text('QE'));
  });

  it('reads the DMA signature at every aligned offset and width', () => {
    const { fw, env } = rig(variant);
    const sig = text('QEMU CFG');
    const sizes = variant === 'io' ? ([1, 2, 4] as const) : ([1, 2, 4, 8] as const);
    for (const size of sizes) {
      for (let k = 0; k < 8; k += size) {
        let expected = 0n;
        for (let i = size - 1; i >= 0; i--) expected = (expected << 8n) | BigInt(sig[k + i]);
        expect(BigInt(env[variant].read(fw.dmaBase + k, size))).toBe(expected);
      }
    }
  });

  it('runs select callbacks on every register select, and reset selects the signature again', () => {
    let selects = 0;
    const { fw, dev } = rig(variant, {}, (d) => d.addFile('opt/cb', Uint8Array.of(1, 2), { onSelect: () => selects++ }));
    fw.select(0x20);
    fw.select(0x20);
    expect(selects).toBe(2);
    fw.read(1);
    fw.kick(0xdead_0000_0000n, 'halves'); // leaves nothing latched either way
    dev.reset();
    expect(dev.registers()).toEqual({ selected: 0, offset: 0, dmaAddress: 0n });
    expect(fw.read(4)).toEqual(text('QEMU'));
    expect(selects).toBe(2);
  });
});

describe('fw_cfg MMIO data register (string-preserving, big-endian)', () => {
  it('returns the next N bytes in memory order, zero-padded past the end', () => {
    const { fw, dev } = rig('mmio', {}, (d) => d.addFile('opt/s', Uint8Array.from(text('ABCDEFGHIJ'))));
    fw.select(0x20);
    // A little-endian CPU that stores what it loaded sees the item bytes in order.
    expect(fw.readWide(4)).toBe(0x44434241);
    expect(fw.readWide(2)).toBe(0x4645);
    expect(fw.readWide(8)).toBe(0x4a494847n);
    expect(dev.registers().offset).toBe(10);
    expect(fw.readWide(8)).toBe(0n);
  });

  it('refuses data reads wider than the data width and reads at a non-zero offset', () => {
    const { env, dev } = rig('mmio', { dataWidth: 1 });
    expect(env.mmio.read(0x09020000, 2)).toBe(0xffff);
    expect(env.mmio.read(0x09020000, 1)).toBe(0x51);
    const wide = rig('mmio');
    expect(wide.env.mmio.read(0x09020004, 4)).toBe(0xffffffff);
    expect(wide.dev.registers().offset).toBe(0);
    expect(dev.registers().offset).toBe(1);
  });

  it('accepts only 16-bit selector writes; a little-endian value is the byte-swapped key', () => {
    const { env, dev } = rig('mmio');
    env.mmio.write(0x09020008, 2, 0x0100);
    expect(dev.registers().selected).toBe(1);
    env.mmio.write(0x09020008, 1, 0x19);
    env.mmio.write(0x09020008, 4, 0x1900);
    expect(dev.registers().selected).toBe(1);
    expect(env.mmio.read(0x09020008, 2)).toBe(0xffff);
  });
});

describe.each(['io', 'mmio'] as const)('fw_cfg %s: DMA (spec §9.5)', (variant) => {
  const setup = (d: FwCfgDevice): void => {
    d.addFile('opt/ro', Uint8Array.from(text('READONLY')));
    d.addFile('opt/rw', new Uint8Array(8), { writable: true });
  };
  const ro = 0x20;
  const rw = 0x21;

  it('READ copies the selected item, stores control 0 and leaves length and address as written', () => {
    const { fw, ram } = rig(variant);
    fw.select(0x00);
    expect(fw.dma(DESC, { control: READ, length: 4, address: BUF })).toBe(0);
    expect([...ram.subarray(BUF, BUF + 4)]).toEqual(text('QEMU'));
    expect(fw.descriptor(DESC)).toEqual({ control: 0, length: 4, address: BigInt(BUF) });
  });

  it('SELECT puts the key in bits 31..16; SKIP then READ continues at the skipped offset', () => {
    const { fw, ram, dev } = rig(variant, {}, setup);
    expect(fw.dma(DESC, { control: (ro << 16) | SELECT | SKIP, length: 4, address: 0 })).toBe(0);
    expect(fw.dma(DESC, { control: READ, length: 4, address: BUF })).toBe(0);
    expect([...ram.subarray(BUF, BUF + 4)]).toEqual(text('ONLY'));
    expect(dev.registers()).toMatchObject({ selected: ro, offset: 8 });
  });

  it('SELECT alone selects, runs the callback, transfers nothing whatever the length', () => {
    let selects = 0;
    const { fw, ram, dev } = rig(variant, {}, (d) => d.addFile('opt/cb', Uint8Array.of(1, 2, 3), { onSelect: () => selects++ }));
    ram.fill(0xaa, BUF, BUF + 16);
    fw.select(0x00);
    fw.read(2);
    expect(fw.dma(DESC, { control: (0x20 << 16) | SELECT, length: 16, address: BUF })).toBe(0);
    expect(selects).toBe(1);
    expect(dev.registers()).toMatchObject({ selected: 0x20, offset: 0 });
    expect(ram.subarray(BUF, BUF + 16).every((b) => b === 0xaa)).toBe(true);
  });

  it('READ beats WRITE, which beats SKIP; the ERROR bit of a request is ignored', () => {
    const writes: number[] = [];
    const { fw, ram, dev } = rig(variant, {}, (d) => {
      d.addFile('opt/ro', Uint8Array.of(5, 6));
      d.addFile('opt/rw', Uint8Array.of(1, 2, 3, 4), { writable: true, onWrite: (o) => writes.push(o) });
    });
    ram.set([9, 9, 9, 9], BUF);
    expect(fw.dma(DESC, { control: (0x21 << 16) | SELECT | READ | WRITE | SKIP | ERROR, length: 2, address: BUF })).toBe(0);
    expect([...ram.subarray(BUF, BUF + 4)]).toEqual([1, 2, 9, 9]);
    expect(writes).toEqual([]);
    expect(fw.dma(DESC, { control: WRITE | SKIP, length: 2, address: BUF + 2 })).toBe(0);
    expect(writes).toEqual([2]);
    fw.select(0x21);
    expect(fw.read(4)).toEqual([1, 2, 9, 9]);
    expect(dev.registers().offset).toBe(4);
    // On a read-only item, READ | WRITE is a plain read: no ERROR.
    expect(fw.dma(DESC, { control: (0x20 << 16) | SELECT | READ | WRITE, length: 2, address: BUF })).toBe(0);
    expect([...ram.subarray(BUF, BUF + 2)]).toEqual([5, 6]);
  });

  it('WRITE stores into a writable item in place and calls onWrite(offset, length, data)', () => {
    const calls: [number, number, number[]][] = [];
    const store = new Uint8Array(8);
    const { fw, ram, dev } = rig(variant, {}, (d) =>
      d.addFile('etc/vmgenid_addr', store, { writable: true, onWrite: (o, l, data) => calls.push([o, l, [...data]]) }),
    );
    ram.set([1, 2, 3, 4, 5, 6], BUF);
    expect(fw.dma(DESC, { control: (0x20 << 16) | SELECT | SKIP, length: 2, address: 0 })).toBe(0);
    expect(fw.dma(DESC, { control: WRITE, length: 6, address: BUF })).toBe(0);
    expect([...store]).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    expect(calls).toEqual([[2, 6, [0, 0, 1, 2, 3, 4, 5, 6]]]);
    expect(dev.registers().offset).toBe(8);
  });

  it('WRITE to a read-only item sets ERROR, changes nothing, and still advances the offset', () => {
    const { fw, dev } = rig(variant, {}, setup);
    expect(fw.dma(DESC, { control: (ro << 16) | SELECT | WRITE, length: 4, address: BUF })).toBe(ERROR);
    fw.select(ro);
    expect(fw.read(8)).toEqual(text('READONLY'));
    fw.select(0x00);
    expect(fw.dma(DESC, { control: WRITE, length: 2, address: BUF })).toBe(ERROR);
    expect(dev.registers().offset).toBe(2);
  });

  it('WRITE to an invalid or empty selection, or past the end, sets ERROR', () => {
    const { fw } = rig(variant, { fileSlots: 0x10 }, setup);
    expect(fw.dma(DESC, { control: (0x30 << 16) | SELECT | WRITE, length: 4, address: BUF })).toBe(ERROR);
    expect(fw.dma(DESC, { control: (0x12 << 16) | SELECT | WRITE, length: 4, address: BUF })).toBe(ERROR);
    expect(fw.dma(DESC, { control: (rw << 16) | SELECT | SKIP, length: 8, address: 0 })).toBe(0);
    expect(fw.dma(DESC, { control: WRITE, length: 1, address: BUF })).toBe(ERROR);
  });

  it('refuses a truncated write (longer than the rest of the item) without touching the item', () => {
    let called = false;
    const store = new Uint8Array(4);
    const { fw, ram } = rig(variant, {}, (d) => d.addFile('opt/w', store, { writable: true, onWrite: () => (called = true) }));
    ram.set([1, 2, 3, 4, 5, 6], BUF);
    expect(fw.dma(DESC, { control: (0x20 << 16) | SELECT | WRITE, length: 6, address: BUF })).toBe(ERROR);
    expect([...store]).toEqual([0, 0, 0, 0]);
    expect(called).toBe(false);
  });

  it('a zero length transfers nothing and succeeds', () => {
    const { fw, ram, dev } = rig(variant);
    fw.select(0);
    expect(fw.dma(DESC, { control: READ, length: 0, address: BUF })).toBe(0);
    expect(ram[BUF]).toBe(0);
    expect(dev.registers().offset).toBe(0);
  });

  it('READ past the end zero-fills the rest; READ of an invalid key zero-fills all of it, without ERROR', () => {
    const { fw, ram, dev } = rig(variant, {}, setup);
    ram.fill(0xaa, BUF, BUF + 24);
    expect(fw.dma(DESC, { control: (ro << 16) | SELECT | READ, length: 12, address: BUF })).toBe(0);
    expect([...ram.subarray(BUF, BUF + 13)]).toEqual([...text('READONLY'), 0, 0, 0, 0, 0xaa]);
    expect(dev.registers().offset).toBe(8);
    expect(fw.dma(DESC, { control: (0x7fff << 16) | SELECT | READ, length: 8, address: BUF + 16 })).toBe(0);
    expect(dev.registers().selected).toBe(0xffff);
    expect(ram.subarray(BUF + 16, BUF + 24).every((b) => b === 0)).toBe(true);
  });

  it('a descriptor outside RAM writes nothing; one whose first word is in RAM gets ERROR there', () => {
    const { fw, ram } = rig(variant);
    const before = ram.slice();
    fw.kick(RAM - 2);
    fw.kick(0xffff_ffff_ffff_ffffn);
    fw.kick(0x1_0000_1000n);
    if (variant === 'mmio') fw.kick(0xffff_ffff_ffff_fff0n, '64');
    expect(Buffer.compare(ram, before)).toBe(0); // byte-wise; a deep equal of 64 KiB is slow
    ram.fill(0xee, RAM - 8);
    fw.kick(RAM - 8);
    expect([...ram.subarray(RAM - 8)]).toEqual([0, 0, 0, 1, 0xee, 0xee, 0xee, 0xee]);
  });

  it('works with an unaligned descriptor and buffer', () => {
    const { fw, ram } = rig(variant);
    expect(fw.dma(DESC + 3, { control: (0 << 16) | SELECT | READ, length: 4, address: BUF + 1 })).toBe(0);
    expect([...ram.subarray(BUF + 1, BUF + 5)]).toEqual(text('QEMU'));
  });

  it('a buffer partly outside RAM sets ERROR and writes none of it', () => {
    const { fw, ram } = rig(variant, {}, setup);
    ram.fill(0xaa, RAM - 4);
    expect(fw.dma(DESC, { control: (ro << 16) | SELECT | READ, length: 8, address: RAM - 4 })).toBe(ERROR);
    expect([...ram.subarray(RAM - 4)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
    expect(fw.dma(DESC, { control: (rw << 16) | SELECT | WRITE, length: 8, address: RAM - 4 })).toBe(ERROR);
  });

  it('stops at the first ERROR: after a failed chunk the address wrapping to 0 is never zero-filled', () => {
    const { fw, ram, dev } = rig(variant, {}, setup);
    ram.fill(0xaa, 0, 8);
    const wild = 0xffff_ffff_ffff_fffcn;
    expect(fw.dma(DESC, { control: (ro << 16) | SELECT | READ, length: 16, address: wild })).toBe(ERROR);
    expect(ram.subarray(0, 8).every((b) => b === 0xaa)).toBe(true);
    expect(dev.registers().offset).toBe(8);
  });

  it('a length of 0xFFFFFFFF copies the item, then fails the zero-fill past RAM with ERROR, allocating nothing', () => {
    const { fw, ram } = rig(variant, {}, setup);
    expect(fw.dma(DESC, { control: (ro << 16) | SELECT | READ, length: 0xffffffff, address: BUF })).toBe(ERROR);
    expect([...ram.subarray(BUF, BUF + 8)]).toEqual(text('READONLY'));
    expect(fw.dma(DESC, { control: (0x3fff << 16) | SELECT | READ, length: 0xffffffff, address: 0 })).toBe(ERROR);
    expect(fw.dma(DESC, { control: (0x3fff << 16) | SELECT | SKIP, length: 0xffffffff, address: 0 })).toBe(0);
  });

  it('latches the address: high clears low, only the low half (or a 64-bit write) starts, then it reads 0', () => {
    const { fw, env, dev, ram } = rig(variant);
    const bus = env[variant];
    fw.select(0);
    fw.putDescriptor(DESC, { control: READ, length: 4, address: BUF });
    bus.write(fw.dmaBase, 4, 0x78563412);
    expect(dev.registers().dmaAddress).toBe(0x12345678_00000000n);
    bus.write(fw.dmaBase, 4, 0);
    expect(dev.registers().dmaAddress).toBe(0n);
    expect(ram[BUF]).toBe(0);
    bus.write(fw.dmaBase + 4, 4, 0x00100000); // 0x1000 written big-endian
    expect([...ram.subarray(BUF, BUF + 4)]).toEqual(text('QEMU'));
    expect(dev.registers().dmaAddress).toBe(0n);
    if (variant === 'mmio') {
      fw.select(0);
      expect(fw.dma(DESC, { control: READ, length: 2, address: BUF + 8 }, '64')).toBe(0);
      expect([...ram.subarray(BUF + 8, BUF + 10)]).toEqual(text('QE'));
    }
  });

  it('runs the select callback on DMA SELECT before reading, so the item can be refreshed in place', () => {
    const status = new Uint8Array(4);
    let n = 0;
    const { fw, ram } = rig(variant, {}, (d) =>
      d.addFile('opt/unitrace/fw/status', status, { onSelect: () => status.set([++n, 0, 0, 0]) }),
    );
    expect(fw.dma(DESC, { control: (0x20 << 16) | SELECT | READ, length: 4, address: BUF })).toBe(0);
    expect(fw.dma(DESC, { control: (0x20 << 16) | SELECT | READ, length: 4, address: BUF + 4 })).toBe(0);
    expect([...ram.subarray(BUF, BUF + 8)]).toEqual([1, 0, 0, 0, 2, 0, 0, 0]);
  });
});
