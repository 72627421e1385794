import { describe, expect, it } from 'vitest';
import { ByteWriter, createByteWriter } from './byte-writer.js';

describe('ByteWriter', () => {
  it('appends bytes, ASCII text and byte ranges in order', () => {
    const w = createByteWriter(16);
    w.pushAscii('ab');
    w.pushByte(0xff);
    w.pushBytes(Uint8Array.of(1, 2, 3, 4), 1, 3);
    w.pushRepeat(0x20, 2);
    expect([...w.subarray()]).toEqual([0x61, 0x62, 0xff, 2, 3, 0x20, 0x20]);
    expect(w.length).toBe(7);
  });

  it('grows past its starting capacity and keeps what was written', () => {
    const w = new ByteWriter(16);
    const big = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    w.pushAscii('x');
    w.pushBytes(big);
    for (let i = 0; i < 100; i++) w.pushByte(i);
    expect(w.length).toBe(1101);
    expect(w.bytes.length).toBeGreaterThanOrEqual(1101);
    expect(w.subarray()[0]).toBe(0x78);
    expect([...w.subarray(1, 1001)]).toEqual([...big]);
    expect(w.subarray(1100)[0]).toBe(99);
  });

  it('ensure makes room so direct writes through bytes fit', () => {
    const w = new ByteWriter(16);
    w.pushAscii('0123456789abcdef');
    w.ensure(5);
    expect(w.bytes.length - w.length).toBeGreaterThanOrEqual(5);
  });

  it('reset empties it; consume drops a written prefix and keeps the tail', () => {
    const w = new ByteWriter(16);
    w.pushAscii('hello world');
    w.consume(6);
    expect(new TextDecoder().decode(w.subarray())).toBe('world');
    w.consume(100);
    expect(w.length).toBe(0);
    w.pushAscii('x');
    w.reset();
    expect(w.length).toBe(0);
    expect(w.subarray().length).toBe(0);
  });

  it('subarray never reaches past the written length', () => {
    const w = new ByteWriter(64);
    w.pushAscii('abc');
    expect(w.subarray(0, 50).length).toBe(3);
  });
});
