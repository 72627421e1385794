// The fixed set of records behind the golden files: every argument type of the corpus, guest records and drops.
import { BatchWriter, MAX_RECORD_BYTES, RECORD_HEADER_BYTES, payloadBytes, writeArgs, type ArgValue, type Sink, type SourceInfo } from '@unitrace/core';
import { decl, source } from './sources.js';

export const HOST: SourceInfo = source('host', 'host', 0n, 0, 0, [
  decl('host_void', []),
  decl('host_ints', [
    ['int8_t', 'a'],
    ['uint8_t', 'b'],
    ['int16_t', 'c'],
    ['uint16_t', 'd'],
    ['int32_t', 'e'],
    ['uint32_t', 'f'],
    ['int64_t', 'g'],
    ['uint64_t', 'h'],
  ]),
  decl('host_big', [
    ['int64_t', 'a'],
    ['int64_t', 'b'],
    ['uint64_t', 'c'],
    ['uint64_t', 'd'],
  ]),
  decl('host_c_words', [
    ['char', 'ch'],
    ['unsigned char', 'uc'],
    ['short', 's'],
    ['unsigned short', 'us'],
    ['int', 'i'],
    ['unsigned', 'u'],
    ['unsigned int', 'ui'],
    ['long', 'l'],
    ['unsigned long', 'ul'],
    ['long unsigned int', 'lui'],
  ]),
  decl('host_sizes', [
    ['size_t', 'sz'],
    ['ssize_t', 'ss'],
    ['uintptr_t', 'up'],
    ['unsigned long long', 'ull'],
    ['bool', 'yes'],
    ['bool', 'no'],
  ]),
  decl('host_pointers', [
    ['void *', 'null'],
    ['void *', 'small'],
    ['const void *', 'high'],
    ['uint64_t *', 'allones'],
    ['char **', 'pp'],
  ]),
  decl('host_strings', [
    ['const char *', 'plain'],
    ['const char *', 'escapes'],
    ['char *', 'utf8'],
    ['const char *', 'empty'],
  ]),
  decl('fw_cfg_select', [
    ['void *', 's'],
    ['uint16_t', 'key_value'],
    ['const char *', 'key_name'],
    ['int', 'ret'],
  ]),
  decl('host_bad_utf8', [
    ['const char *', 'a'],
    ['int', 'n'],
    ['char *', 'b'],
  ]),
]);

export const GUEST_BASE: bigint = 0x8000_0000_0000_0000n;

export const GUEST: SourceInfo = source('fw', 'guest', GUEST_BASE, HOST.events.length, 1, [
  decl('fw_boot', [
    ['uint32_t', 'step'],
    ['const char *', 'what'],
  ]),
  decl('fw_value', [['uint64_t', 'v']]),
]);

/** One record of the corpus: the event (by source and name), its values, its stamps. */
export interface CorpusRecord {
  readonly source: SourceInfo;
  readonly event: string;
  readonly values: readonly ArgValue[];
  readonly timeNs: number;
  readonly pid: number;
  readonly guestClock: number;
}

const T0 = 1_000_000;
const rec = (src: SourceInfo, event: string, values: readonly ArgValue[], k: number, guestClock = -1, pid = 4242): CorpusRecord => ({
  source: src,
  event,
  values,
  timeNs: T0 + 1500 * k,
  pid,
  guestClock,
});

/** Written in one batch, then `dropped(7, DROP_TIME)`, then LATE in a second batch. */
export const RECORDS: readonly CorpusRecord[] = [
  rec(HOST, 'fw_cfg_select', [0x55d925bd9490n, 0, 'signature', 1], 0),
  rec(HOST, 'host_void', [], 1),
  rec(HOST, 'host_ints', [-128, 255, -32768, 65535, -2147483648, 4294967295, -(2n ** 63n), 2n ** 64n - 1n], 2),
  rec(HOST, 'host_ints', [-1, -1, -1, -1, -1, -1, -1n, -1n], 3),
  rec(HOST, 'host_big', [-(2n ** 53n - 1n), -(2n ** 53n), 2n ** 53n - 1n, 2n ** 53n], 4),
  rec(HOST, 'host_c_words', [-1, 200, -2, 65535, 2147483647, 0xdeadbeef, 7, -1n, 2n ** 64n - 1n, 12345678901234567890n], 5),
  rec(HOST, 'host_sizes', [2n ** 53n + 1n, -1n, 0, 1n << 40n, true, false], 6),
  rec(HOST, 'host_pointers', [null, 0xdeadbeefn, 0x1_0000_0000n, 2n ** 64n - 1n, 0x7ffd_1234_5678n], 7),
  rec(HOST, 'host_strings', ['plain', 'q" b\\ n\n t\t c\x01 d\x7f', 'ünïcödé €𝄞', ''], 8),
  rec(HOST, 'host_bad_utf8', [Uint8Array.of(0x66, 0xff, 0x6f), 3, Uint8Array.of(0xe2, 0x82)], 9),
  rec(GUEST, 'fw_boot', [1, 'power-on'], 10, 123456789),
  rec(GUEST, 'fw_value', [0x8000_0000_0000_0000n], 11),
];
export const DROP_TIME: number = T0 + 1500 * 12;
/** A record stamped beyond 2^53 ns, from another pid. */
export const LATE: CorpusRecord = { ...rec(HOST, 'host_void', [], 0), timeNs: 2 ** 54, pid: 1 };

/** Appends corpus records to a batch as the tracer would. */
export function batchOf(records: readonly CorpusRecord[]): BatchWriter {
  const argsOf = (r: CorpusRecord) => r.source.events.find((e) => e.name === r.event)!.args;
  const size = records.reduce((n, r) => n + RECORD_HEADER_BYTES + payloadBytes(argsOf(r), r.values), 0);
  const w = new BatchWriter(Math.max(size, MAX_RECORD_BYTES));
  for (const r of records) {
    const local = r.source.events.findIndex((e) => e.name === r.event);
    const args = argsOf(r);
    const id = r.source.base + BigInt(local);
    const o = w.begin(r.source.first + local, Number(id & 0xffff_ffffn), Number(id >> 32n), r.timeNs, r.pid, payloadBytes(args, r.values), r.guestClock);
    writeArgs(w, o, args, r.values);
  }
  return w;
}

/** Describes both sources and writes the whole corpus (records, a dropped notice, the late record); then closes. */
export async function writeCorpus(sink: Sink): Promise<void> {
  sink.describe(HOST);
  sink.describe(GUEST);
  sink.write(batchOf(RECORDS));
  sink.dropped(7, DROP_TIME);
  sink.write(batchOf([LATE]));
  await sink.close();
}
