// Guest: fw_cfg firmware through the CPU interface only (SeaBIOS/EDK2 style): signature, ID, DMA signature,
// directory walk by name, a DMA read, a DMA write to a writable item and one to a read-only item.
import type { Cpu } from '@unitrace/core';

/** Where the guest puts things, shared with the test. */
export const FW_GUEST = {
  OUT: 0x1000,
  DESC: 0x2000,
  READ_BUF: 0x3000,
  WRITE_BUF: 0x4000,
  VIRT_BASE: 0x0902_0000,
} as const;

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
const swap32 = (v: number): number => ((swap16(v & 0xffff) << 16) | swap16(v >>> 16)) >>> 0;

export default function fwCfgGuest(cpu: Cpu, args: Readonly<Record<string, unknown>>): void {
  const virt = args.board === 'virt';
  const B = FW_GUEST.VIRT_BASE;
  const view = cpu.ramView;
  let n = 0;
  const push = (v: number): void => {
    view.setUint32(FW_GUEST.OUT + 4 + 4 * n++, v >>> 0, true);
    view.setUint32(FW_GUEST.OUT, n, true);
  };
  const select = (key: number): void => (virt ? cpu.mmioWrite(B + 8, 2, swap16(key)) : cpu.outw(0x510, key));
  const byte = (): number => (virt ? cpu.mmioRead(B, 1) : cpu.inb(0x511));
  const be32 = (): number => ((byte() << 24) | (byte() << 16) | (byte() << 8) | byte()) >>> 0;
  const dma = (control: number, length: number, address: number): number => {
    view.setUint32(FW_GUEST.DESC, control, false);
    view.setUint32(FW_GUEST.DESC + 4, length, false);
    view.setBigUint64(FW_GUEST.DESC + 8, BigInt(address), false);
    if (virt) {
      cpu.mmioWrite(B + 16, 4, 0);
      cpu.mmioWrite(B + 20, 4, swap32(FW_GUEST.DESC));
    } else {
      cpu.outl(0x514, 0);
      cpu.outl(0x518, swap32(FW_GUEST.DESC));
    }
    return view.getUint32(FW_GUEST.DESC, false);
  };
  const find = (name: string): { key: number; size: number } => {
    select(0x19);
    const count = be32();
    for (let i = 0; i < count; i++) {
      const size = be32();
      const key = (byte() << 8) | byte();
      byte();
      byte();
      let text = '';
      for (let k = 0; k < 56; k++) {
        const c = byte();
        if (c !== 0 && text.length === k) text += String.fromCharCode(c);
      }
      if (text === name) return { key, size };
    }
    return { key: 0, size: 0 };
  };

  select(0x00);
  for (let i = 0; i < 4; i++) push(byte());
  select(0x01);
  push(byte() | (byte() << 8) | (byte() << 16) | (byte() << 24));
  if (virt) {
    const sig = cpu.mmioRead64(B + 16);
    push(Number(sig & 0xffff_ffffn));
    push(Number(sig >> 32n));
  } else {
    push(cpu.inl(0x514));
    push(cpu.inl(0x518));
  }

  const data = find(String(args.data));
  push(data.key);
  push(data.size);
  push(dma((data.key << 16) | 0x08 | 0x02, data.size, FW_GUEST.READ_BUF));

  const rw = find(String(args.writable));
  push(rw.key);
  for (let i = 0; i < rw.size; i++) cpu.ram[FW_GUEST.WRITE_BUF + i] = 0xa0 + i;
  push(dma((rw.key << 16) | 0x08 | 0x10, rw.size, FW_GUEST.WRITE_BUF));
  push(dma((data.key << 16) | 0x08 | 0x10, 1, FW_GUEST.WRITE_BUF));
  push(cpu.exits);
}
