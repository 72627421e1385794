// MessagePack primitives against msgpackr.
import { describe, expect, it } from 'vitest';
import { Packr, Unpackr } from 'msgpackr';
import { mpStr, putMpBinHeader, putMpInt32, putMpInt64, putMpMapHeader, putMpStrHeader, putMpUint } from './msgpack-bytes.js';

// msgpackr is the independent oracle: it must decode what we write, and for 32-bit values it picks the same forms.
const unpackr = new Unpackr({ useRecords: false, int64AsType: 'bigint' });
const packr = new Packr({ useRecords: false });
const out = new Uint8Array(1 << 17);
const words = (v: bigint): [number, number] => [Number((v >> 32n) & 0xffff_ffffn), Number(v & 0xffff_ffffn)];

describe('MessagePack integers', () => {
  it('uints decode to the value and, up to 2^32 - 1, are byte for byte what msgpackr writes', () => {
    for (const v of [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1]) {
      const end = putMpUint(out, 0, 0, v);
      expect(Buffer.from(out.subarray(0, end))).toEqual(packr.pack(v));
    }
    for (const v of [2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]) {
      const [hi, lo] = words(v);
      const end = putMpUint(out, 0, hi, lo);
      expect(out[0]).toBe(0xcf);
      expect(end).toBe(9);
      expect(unpackr.unpack(out.subarray(0, end))).toBe(v);
    }
  });

  it('int32 values use the smallest form, as msgpackr does', () => {
    for (const v of [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), 5, 2 ** 31 - 1]) {
      const end = putMpInt32(out, 0, v);
      expect(Buffer.from(out.subarray(0, end)), `int ${v}`).toEqual(packr.pack(v));
    }
  });

  it('int64 values take 9 bytes only when they need more than 32 bits', () => {
    for (const v of [-1n, -(2n ** 31n), -(2n ** 31n) - 1n, -(2n ** 53n), -(2n ** 63n), 0n, 2n ** 40n, 2n ** 63n - 1n]) {
      const [hi, lo] = words(BigInt.asUintN(64, v));
      const end = putMpInt64(out, 0, hi, lo);
      const got = unpackr.unpack(out.subarray(0, end));
      expect(BigInt(got), `int64 ${v}`).toBe(v);
      expect(end === 9, `int64 ${v} size`).toBe(v < -(2n ** 31n) || v >= 2n ** 32n);
    }
  });
});

describe('MessagePack headers', () => {
  it('strings of every header size decode', () => {
    for (const n of [0, 31, 32, 255, 256, 65535, 65536]) {
      const s = 'x'.repeat(n);
      const end = putMpStrHeader(out, 0, n);
      out.fill(0x78, end, end + n);
      expect(unpackr.unpack(out.subarray(0, end + n))).toBe(s);
      expect(Buffer.from(mpStr(s)).equals(packr.pack(s)), `str of ${n}`).toBe(true);
    }
  });

  it('bin and map headers decode', () => {
    for (const n of [0, 255, 256, 65536]) {
      const end = putMpBinHeader(out, 0, n);
      out.fill(7, end, end + n);
      const got = unpackr.unpack(out.subarray(0, end + n)) as Uint8Array;
      expect(got.length).toBe(n);
    }
    for (const n of [0, 15, 16]) {
      let pos = putMpMapHeader(out, 0, n);
      for (let k = 0; k < n; k++) {
        pos = putMpStrHeader(out, pos, 1);
        out[pos++] = 0x61 + k;
        out[pos++] = k;
      }
      const got = unpackr.unpack(out.subarray(0, pos)) as Record<string, number>;
      expect(Object.keys(got).length).toBe(n);
    }
  });
});
