import { describe, expect, it } from 'vitest';
import {
  FW_CFG_DMA_SIGNATURE,
  FW_CFG_ENTRY_MASK,
  FW_CFG_FILE_FIRST,
  FW_CFG_FILE_SLOTS_MAX,
  FW_CFG_INITRD_SIZE,
  fwCfgKeyName,
} from './keys.js';

describe('fw_cfg keys (spec §9.2, §9.3)', () => {
  it('spells the DMA signature `QEMU CFG` in big-endian byte order', () => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, FW_CFG_DMA_SIGNATURE);
    expect(new TextDecoder().decode(bytes)).toBe('QEMU CFG');
  });

  it('allows file slots up to the last index the entry mask can reach', () => {
    // §9.2: the allowed range is 0x10..(0x3FFF − 0x20 + 1); the last file key is then exactly 0x3FFF.
    expect(FW_CFG_FILE_SLOTS_MAX).toBe(0x3fe0);
    expect(FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS_MAX - 1).toBe(FW_CFG_ENTRY_MASK);
  });

  it("names well-known keys from QEMU's table, typo included", () => {
    expect(fwCfgKeyName(0x00)).toBe('signature');
    expect(fwCfgKeyName(0x01)).toBe('id');
    expect(fwCfgKeyName(FW_CFG_INITRD_SIZE)).toBe('initdr_size');
    expect(fwCfgKeyName(0x0d)).toBe('numa');
    expect(fwCfgKeyName(0x19)).toBe('file_dir');
  });

  it('calls gaps, file keys and keys with bit 14 "unknown"', () => {
    expect(fwCfgKeyName(0x1a)).toBe('unknown');
    expect(fwCfgKeyName(0x1f)).toBe('unknown');
    expect(fwCfgKeyName(0x20)).toBe('unknown');
    expect(fwCfgKeyName(0x4000)).toBe('unknown');
    expect(fwCfgKeyName(0xffff)).toBe('unknown');
  });

  it('names x86 arch keys only with the x86 table', () => {
    expect(fwCfgKeyName(0x8000, 'x86')).toBe('acpi_tables');
    expect(fwCfgKeyName(0x8001, 'x86')).toBe('smbios_entries');
    expect(fwCfgKeyName(0x8002, 'x86')).toBe('irq0_override');
    expect(fwCfgKeyName(0x8003, 'x86')).toBe('unknown');
    expect(fwCfgKeyName(0x8004, 'x86')).toBe('hpet');
    expect(fwCfgKeyName(0x8000)).toBe('unknown');
  });
});
