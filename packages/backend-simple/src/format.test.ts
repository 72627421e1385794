import { describe, expect, it } from 'vitest';
import { REC_ID, REC_LENGTH, REC_PAYLOAD, REC_PID, REC_TIMESTAMP, isTraceError } from '@unitrace/core';
import {
  checkFileHeader,
  encodeMappingRecord,
  readFileHeader,
  readMappingRecord,
  writeDroppedRecord,
  writeFileHeader,
  EV_ID,
  EV_LENGTH,
  EV_PAYLOAD,
  EV_PID,
  EV_TIMESTAMP,
  MAX_EVENT_LENGTH,
} from './format.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('format', () => {
  it('lays event records out as core does (the wire module is importable without core)', () => {
    expect([EV_ID, EV_TIMESTAMP, EV_LENGTH, EV_PID, EV_PAYLOAD]).toEqual([REC_ID, REC_TIMESTAMP, REC_LENGTH, REC_PID, REC_PAYLOAD]);
    expect(MAX_EVENT_LENGTH).toBe(5184); // spec §5.2: 24 + 10 × (4 + 512)
  });

  it('writes the header of spec §5.2 (the first 24 bytes of the §5.4 vector)', () => {
    const b = new Uint8Array(24);
    writeFileHeader(new DataView(b.buffer), 0);
    expect(hex(b)).toBe('ffffffffffffffffb429a40acb77b1f20400000000000000');
  });

  it('writes a mapping record as the §5.4 vector has it', () => {
    expect(hex(encodeMappingRecord(7n, 'fw_cfg_select'))).toBe(
      '0000000000000000' + '0700000000000000' + '0d000000' + Buffer.from('fw_cfg_select').toString('hex'),
    );
  });

  it('writes a dropped record as the §5.4 vector has it, from numbers', () => {
    const b = new Uint8Array(40);
    expect(writeDroppedRecord(new DataView(b.buffer), 0, 1002000, 4242, 3)).toBe(40);
    expect(hex(b)).toBe('0100000000000000' + 'feffffffffffffff' + '104a0f0000000000' + '20000000' + '92100000' + '0300000000000000');
  });

  it('writes timestamps and counts above 2^32 exactly', () => {
    const b = new Uint8Array(40);
    const v = new DataView(b.buffer);
    writeDroppedRecord(v, 0, 2 ** 52 + 5, 1, 2 ** 40 + 7);
    expect(v.getBigUint64(16, true)).toBe(2n ** 52n + 5n);
    expect(v.getBigUint64(32, true)).toBe(2n ** 40n + 7n);
  });

  it('reads back a mapping record', () => {
    const bytes = encodeMappingRecord(0x8000000000000003n, 'fw_x');
    expect(readMappingRecord(bytes, new DataView(bytes.buffer), 0)).toEqual({ id: 0x8000000000000003n, name: 'fw_x', byteLength: 24 });
  });

  it('judges headers with simpletrace.py wording', () => {
    const judge = (id: bigint, magic: bigint, version: bigint): string => {
      try {
        return String(checkFileHeader({ id, magic, version }, 'f'));
      } catch (err) {
        expect(isTraceError(err, 'E_TRACE_FILE')).toBe(true);
        return (err as Error).message;
      }
    };
    const ok = 0xf2b177cb0aa429b4n;
    expect(judge(~0n & 0xffffffffffffffffn, ok, 4n)).toBe('4');
    expect(judge(0xffffffffffffffffn, ok, 3n)).toBe('3');
    expect(judge(0xffffffffffffffffn, ok, 7n)).toBe('Unknown version 7 of tracelog format!');
    expect(judge(1n, ok, 4n)).toBe('Not a valid trace file, header id 0x1 != 0xffffffffffffffff');
    const b = new Uint8Array(24);
    writeFileHeader(new DataView(b.buffer), 0, 2);
    expect(readFileHeader(new DataView(b.buffer))).toEqual({ id: 0xffffffffffffffffn, magic: ok, version: 2n });
  });
});
