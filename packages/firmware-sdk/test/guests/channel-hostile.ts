// Guest: a hostile program that speaks to the fw_cfg channel in raw bytes: lying lengths and counts, ids past the
// catalog, strings longer than their record, trailing garbage, sequence jumps and replays, future timestamps, and
// handshakes that are partial, from another catalog, or point outside RAM. After each step it reads the host's
// status block and hands back the counters, so the test can check every step against the ABI by hand.
import type { Cpu } from '@unitrace/core';
import { openFwCfg } from '@unitrace/firmware-sdk';
import { GuestOut, channelArgs } from './channel-out.js';
import { SOURCE } from './channel-fw/trace.js';

const TWO_32 = 4294967296;

export default function hostile(cpu: Cpu, raw: Readonly<Record<string, unknown>>): void {
  const a = channelArgs(raw);
  const out = new GuestOut(cpu, a.out);
  const v = cpu.ramView;
  const R = a.region;
  const HS = R;
  const STATE = R + 0x100;
  const STATUS = R + 0x200;
  const DESC = R + 0x300;
  const NAMES = R + 0x380;
  const BATCH = R + 0x400;
  const SCRATCH = R + 0x3000;
  const fw = openFwCfg(cpu, { board: a.board, descriptor: DESC })!;
  const files = fw.files({ address: SCRATCH, bytes: 4096 });
  const key = (item: string): number => files.find((f) => f.name === `opt/unitrace/fw/${item}`)!.key;
  const [hsKey, statusKey, recordsKey, namesKey] = [key('handshake'), key('status'), key('records'), key('names')];
  const hash = Uint8Array.from(SOURCE.hash.match(/../g)!, (h) => parseInt(h, 16));

  const handshake = (o: { hash?: Uint8Array; version?: number; transport?: number; statePage?: number; batchBytes?: number; names?: number; length?: number } = {}): void => {
    cpu.ram.fill(0, HS, HS + 96);
    v.setUint32(HS, 0x53485455, true);
    v.setUint16(HS + 4, o.version ?? 1, true);
    v.setUint16(HS + 6, o.transport ?? 1, true);
    v.setUint32(HS + 8, SOURCE.eventCount, true);
    v.setUint32(HS + 12, o.batchBytes ?? 4096, true);
    v.setUint32(HS + 16, (o.statePage ?? STATE) >>> 0, true);
    v.setUint32(HS + 20, Math.floor((o.statePage ?? STATE) / TWO_32), true);
    cpu.ram.set(o.hash ?? hash, HS + 24);
    v.setUint32(HS + 56, o.names ?? 0, true);
    fw.dmaWrite(hsKey, HS, o.length ?? 96);
  };
  const report = (): void => {
    fw.dmaRead(statusKey, STATUS, 256);
    const u64 = (o: number): number => v.getUint32(STATUS + o, true) + v.getUint32(STATUS + o + 4, true) * TWO_32;
    out.push(u64(88)); // accepted
    out.push(u64(96)); // rejected
    out.push(u64(104)); // lost
    out.push(u64(112)); // filtered
    out.push(v.getUint16(STATUS + 6, true)); // state
    out.push(v.getUint16(STATUS + 8, true)); // reason
  };

  // A batch under construction at BATCH: records appended after the 32-byte header.
  let at = BATCH + 32;
  let count = 0;
  const word = (x: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, x) >> BigInt(8 * i)) & 0xffn));
  const str = (text: string, n = text.length): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...Array.from(text, (c) => c.charCodeAt(0))];
  const record = (id: number, payload: number[], o: { idHi?: number; ts?: number; len?: number } = {}): void => {
    const ts = o.ts ?? cpu.rdtsc();
    v.setUint32(at, id, true);
    v.setUint32(at + 4, o.idHi ?? 0, true);
    v.setUint32(at + 8, ts >>> 0, true);
    v.setUint32(at + 12, Math.floor(ts / TWO_32), true);
    v.setUint32(at + 16, o.len ?? 24 + payload.length, true);
    v.setUint32(at + 20, 0, true);
    cpu.ram.set(payload, at + 24);
    at += 24 + payload.length;
    count++;
  };
  const send = (seq: number, first: number, o: { magic?: number; count?: number; bytesDelta?: number; dropped?: number } = {}): void => {
    const bytes = at - BATCH - 32;
    v.setUint32(BATCH, o.magic ?? 0x54425455, true);
    v.setUint32(BATCH + 4, seq, true);
    v.setUint32(BATCH + 8, o.count ?? count, true);
    v.setUint32(BATCH + 12, bytes + (o.bytesDelta ?? 0), true);
    v.setUint32(BATCH + 16, o.dropped ?? 0, true);
    v.setUint32(BATCH + 20, 0, true);
    v.setUint32(BATCH + 24, first, true);
    v.setUint32(BATCH + 28, 0, true);
    fw.dmaWrite(recordsKey, BATCH, at - BATCH);
    at = BATCH + 32;
    count = 0;
    report();
  };
  const FW_BOOT = 0;
  const FW_VALUE = 1;
  const FW_TICK = 2;
  const FW_NOTE = 3;

  handshake(); // 0: accepted
  report();
  out.push(cpu.ram[STATE]);
  record(FW_VALUE, [...word(1n), ...word(2n)]); // 1: two good records
  record(FW_BOOT, [...word(3n), ...str('ok')]);
  send(0, 0);
  record(FW_VALUE, [...word(1n), ...word(2n)]); // 2: wrong magic
  send(1, 2, { magic: 0x12345678 });
  record(FW_VALUE, [...word(1n), ...word(2n)]); // 3: header claims 8 bytes more than written
  send(1, 2, { bytesDelta: 8 });
  record(FW_VALUE, [...word(1n), ...word(2n)]); // 4: 100 records in 40 bytes
  send(1, 2, { count: 100 });
  record(FW_VALUE, [...word(1n), ...word(2n)]); // 5: the second record's length runs past the batch
  record(FW_VALUE, [...word(1n), ...word(2n)], { len: 2000 });
  record(FW_TICK, []);
  send(1, 2);
  record(4, []); // 6: id == event count
  record(FW_TICK, [], { idHi: 1 }); // id above 2^32
  record(FW_BOOT, [...word(1n), ...str('abc', 50)]); // string longer than its record
  record(FW_NOTE, str('x'.repeat(600))); // string longer than 512
  send(2, 5);
  record(FW_VALUE, [...word(1n), ...word(2n), ...word(0n)]); // 7: trailing garbage
  record(FW_TICK, []); // disabled on the host: filtered
  record(FW_NOTE, str('fine'));
  send(3, 9);
  record(FW_VALUE, [...word(5n), ...word(6n)]); // 8: six batches and eight records missing
  send(10, 20);
  record(FW_VALUE, [...word(7n), ...word(8n)]); // 9: replay of batch 3
  send(3, 9);
  record(FW_VALUE, [...word(9n), ...word(10n)], { ts: 2 ** 52 }); // 10: a timestamp far in the future
  send(11, 21);
  send(12, 22, { dropped: 5 }); // 11: no records, five dropped by the guest
  handshake({ length: 10 }); // 12: a partial handshake write, then a batch
  record(FW_VALUE, [...word(1n), ...word(2n)]);
  send(0, 0);
  handshake({ hash: new Uint8Array(32).fill(0x11) }); // 13: another catalog, no names
  report();
  out.push(cpu.ram[STATE]);
  handshake({ statePage: 0x7fff_0000 }); // 14: state page outside RAM
  report();
  handshake({ version: 2 }); // 15: another ABI version
  report();
  handshake({ transport: 2 }); // 16: the hypercall's handshake sent to fw_cfg
  report();
  const names = 'fw_boot(uint32_t, const char *)\0fw_value(uint32_t, int)\0fw_tick(void)\0fw_note(const char *)\0';
  cpu.ram.set(Array.from(names, (c) => c.charCodeAt(0)), NAMES);
  fw.dmaWrite(namesKey, NAMES, names.length);
  handshake({ hash: new Uint8Array(32).fill(0x22), names: names.length }); // 17: by name, but a type differs
  report();
  handshake({ batchBytes: 1 << 20 }); // 18: a batch larger than the records item
  report();
  handshake(); // 19: accepted again; the sequence starts over
  record(FW_VALUE, [...word(11n), ...word(12n)]);
  send(0, 0);
}
