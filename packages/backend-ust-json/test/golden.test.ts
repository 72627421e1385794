// Golden JSON lines for the fixed corpus, each line also checked against a hand-written expectation.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createUstJsonSink } from '../src/index.js';
import { lines, tempDir, testEnv } from './support/env.js';
import { validate } from './support/json-schema-subset.js';
import { writeCorpus } from './support/corpus.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../schema/ust-json-record.schema.json', import.meta.url)), 'utf8'));

// Written by hand from the corpus values: C conversion by declared type (sign- or zero-extension, truncation),
// numbers up to 2^53 - 1, decimal strings beyond, pointers in lowercase hex, JSON.stringify's string escapes.
const HEAD = '"cpu_id":0,"vpid":4242,"procname":"unitrace"';
const EXPECTED = [
  // The example of the backend's specification, verbatim.
  '{"name":"host:fw_cfg_select","timestamp":1000000,"cpu_id":0,"vpid":4242,"procname":"unitrace","origin":"host","id":7,"fields":{"s":"0x55d925bd9490","key_value":0,"key_name":"signature","ret":1}}',
  `{"name":"host:host_void","timestamp":1001500,${HEAD},"origin":"host","id":0,"fields":{}}`,
  // -2^63 and 2^64 - 1 need 64 bits: strings. 4294967295 = 2^32 - 1 still fits a number.
  `{"name":"host:host_ints","timestamp":1003000,${HEAD},"origin":"host","id":1,"fields":{"a":-128,"b":255,"c":-32768,"d":65535,"e":-2147483648,"f":4294967295,"g":"-9223372036854775808","h":"18446744073709551615"}}`,
  // -1 into unsigned types: 2^8 - 1, 2^16 - 1, 2^32 - 1, 2^64 - 1.
  `{"name":"host:host_ints","timestamp":1004500,${HEAD},"origin":"host","id":1,"fields":{"a":-1,"b":255,"c":-1,"d":65535,"e":-1,"f":4294967295,"g":-1,"h":"18446744073709551615"}}`,
  // The 2^53 boundary: 2^53 - 1 = 9007199254740991 is a number, 2^53 a string, on both signs.
  `{"name":"host:host_big","timestamp":1006000,${HEAD},"origin":"host","id":2,"fields":{"a":-9007199254740991,"b":"-9007199254740992","c":9007199254740991,"d":"9007199254740992"}}`,
  // char is signed (x86-64); 0xdeadbeef = 3735928559; unsigned long -1 = 2^64 - 1.
  `{"name":"host:host_c_words","timestamp":1007500,${HEAD},"origin":"host","id":3,"fields":{"ch":-1,"uc":200,"s":-2,"us":65535,"i":2147483647,"u":3735928559,"ui":7,"l":-1,"ul":"18446744073709551615","lui":"12345678901234567890"}}`,
  // 2^53 + 1 = 9007199254740993; 2^40 = 1099511627776.
  `{"name":"host:host_sizes","timestamp":1009000,${HEAD},"origin":"host","id":4,"fields":{"sz":"9007199254740993","ss":-1,"up":0,"ull":1099511627776,"yes":true,"no":false}}`,
  `{"name":"host:host_pointers","timestamp":1010500,${HEAD},"origin":"host","id":5,"fields":{"null":"0x0","small":"0xdeadbeef","high":"0x100000000","allones":"0xffffffffffffffff","pp":"0x7ffd12345678"}}`,
  // JSON.stringify escapes " \ and control characters; DEL (0x7f) and non-ASCII text stay as UTF-8.
  `{"name":"host:host_strings","timestamp":1012000,${HEAD},"origin":"host","id":6,"fields":{"plain":"plain","escapes":"q\\" b\\\\ n\\n t\\t c\\u0001 d\x7f","utf8":"ünïcödé €𝄞","empty":""}}`,
  // 0xff is never UTF-8: one U+FFFD; e2 82 is a truncated 3-byte sequence: one U+FFFD for both bytes.
  `{"name":"host:host_bad_utf8","timestamp":1013500,${HEAD},"origin":"host","id":8,"fields":{"a":"f\uFFFDo","n":3,"b":"\uFFFD"},"fields_raw":{"a":"66ff6f","b":"e282"}}`,
  // Guest ids start at 2^63 = 9223372036854775808.
  `{"name":"fw:fw_boot","timestamp":1015000,${HEAD},"origin":"guest","guest_clock":123456789,"id":"9223372036854775808","fields":{"step":1,"what":"power-on"}}`,
  `{"name":"fw:fw_value","timestamp":1016500,${HEAD},"origin":"guest","id":"9223372036854775809","fields":{"v":"9223372036854775808"}}`,
  '{"name":"unitrace:dropped","timestamp":1018000,"origin":"host","fields":{"count":7}}',
  // 2^54 ns = 18014398509481984, beyond 2^53: a string.
  '{"name":"host:host_void","timestamp":"18014398509481984","cpu_id":0,"vpid":1,"procname":"unitrace","origin":"host","id":0,"fields":{}}',
];

describe('JSON lines of the corpus', async () => {
  const file = tmp.path('corpus.json');
  const env = testEnv();
  await writeCorpus(createUstJsonSink({ file }, env));
  const got = lines(file);

  it('match the golden file', async () => {
    await expect(readFileSync(file, 'utf8')).toMatchFileSnapshot('./golden/records.ndjson');
  });

  it('match the hand-written records line by line', () => {
    expect(env.errors).toEqual([]);
    expect(got.length).toBe(EXPECTED.length);
    got.forEach((line, i) => expect(line, `line ${i + 1}`).toBe(EXPECTED[i]));
  });

  it('are each valid JSON and valid against the schema', () => {
    for (const line of got) expect(validate(schema, JSON.parse(line)), line).toEqual([]);
  });

  it('a schema validator that can fail: wrong records are refused', () => {
    const bad = [
      { ...JSON.parse(EXPECTED[0]), id: -1 },
      { ...JSON.parse(EXPECTED[0]), extra: 1 },
      { ...JSON.parse(EXPECTED[0]), timestamp: '123' },
      { ...JSON.parse(EXPECTED[0]), origin: 'elsewhere' },
      { ...JSON.parse(EXPECTED[0]), fields: { x: null } },
      { ...JSON.parse(EXPECTED[0]), fields: { x: 9007199254740992 } },
      { ...JSON.parse(EXPECTED[12]), fields: { count: 0 } },
      { ...JSON.parse(EXPECTED[9]), fields_raw: { a: 'FF' } },
    ];
    for (const rec of bad) expect(validate(schema, rec), JSON.stringify(rec)).not.toEqual([]);
  });
});
