// Events per second of the ust-json sink into /dev/null. Run here: node --conditions=@unitrace/source --import tsx bench/throughput.ts
import { createManualClock } from '@unitrace/core';
import { createUstJsonSink } from '../src/index.js';
import { batchOf, HOST, type CorpusRecord } from '../test/support/corpus.js';

// A realistic mix: the fw_cfg select event (pointer, u16, short string, int) and the eight-integer event.
const mix: CorpusRecord[] = [];
for (let i = 0; i < 400; i++) {
  mix.push({ source: HOST, event: 'fw_cfg_select', values: [0x55d925bd9490n + BigInt(i), i & 0xffff, 'signature', 1], timeNs: 1e9 + i * 1000, pid: 4242, guestClock: -1 });
  mix.push({ source: HOST, event: 'host_ints', values: [-i, i, -i, i, -i * 1000, i * 1000, BigInt(-i), BigInt(i) * 12345n], timeNs: 1e9 + i * 1000 + 500, pid: 4242, guestClock: -1 });
}
const batch = batchOf(mix);

for (const encoding of ['json', 'msgpack'] as const) {
  const sink = createUstJsonSink({ file: '/dev/null', encoding, maxLength: 1 << 30 }, { onError: (e) => console.error(e), pid: 4242, clock: createManualClock() });
  sink.describe(HOST);
  for (let i = 0; i < 200; i++) sink.write(batch); // warm up
  await sink.flush();
  // Best of several runs: other work on the machine only ever makes a run slower.
  const rounds = 500;
  let ms = Infinity;
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) {
      sink.write(batch);
      if (i % 4 === 3) await sink.flush();
    }
    await sink.flush();
    ms = Math.min(ms, performance.now() - t0);
  }
  await sink.close();
  const events = rounds * batch.count;
  const st = sink.stats!();
  console.log(
    `${encoding}: ${(events / ms / 1000).toFixed(2)} M events/s, ${((ms * 1e6) / events).toFixed(0)} ns/event, ` +
      `${(st.bytes / st.records).toFixed(0)} bytes/event, dropped ${st.dropped}`,
  );
}
