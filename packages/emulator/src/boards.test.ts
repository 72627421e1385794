import { isTraceError } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { BOARDS, PC_BOARD, VIRT_BOARD, boardByName } from './boards.js';

// Expected values are spec §9.1 (qemu-tracing.md): x86 fw_cfg_init_io_dma(0x510, 0x514), arm virt memmap
// {0x09020000, 0x18} with data at +0 (width 8), selector at +8, DMA at +16, all big-endian.
describe('boards', () => {
  it('places pc fw_cfg on ports 0x510 (selector), 0x511 (data), 0x514–0x51B (DMA)', () => {
    expect(PC_BOARD.fwCfg).toEqual({
      bus: 'io',
      selector: 0x510,
      data: 0x511,
      ctlBase: 0x510,
      ctlLength: 2,
      dataWidth: 1,
      dma: 0x514,
      dmaLength: 8,
    });
  });

  it('places virt fw_cfg at 0x09020000: data +0 (8 bytes), selector +8, DMA +16, 0x18 bytes, big-endian', () => {
    expect(VIRT_BOARD.fwCfg).toEqual({
      bus: 'mmio',
      base: 0x09020000,
      size: 0x18,
      data: 0x09020000,
      selector: 0x09020008,
      dma: 0x09020010,
      dataWidth: 8,
      dmaLength: 8,
      bigEndian: true,
    });
  });

  it('finds boards by name and refuses others with E_USAGE', () => {
    expect(boardByName('pc')).toBe(PC_BOARD);
    expect(boardByName('virt')).toBe(VIRT_BOARD);
    expect(Object.keys(BOARDS)).toEqual(['pc', 'virt']);
    for (const name of ['q35', 'toString', '']) {
      let err: unknown;
      try {
        boardByName(name);
      } catch (e) {
        err = e;
      }
      expect(isTraceError(err, 'E_USAGE')).toBe(true);
    }
  });

  it('is frozen plain data', () => {
    expect(Object.isFrozen(PC_BOARD) && Object.isFrozen(PC_BOARD.fwCfg)).toBe(true);
    expect(JSON.parse(JSON.stringify(VIRT_BOARD))).toEqual(VIRT_BOARD);
  });
});
