// UTF-8 replacement and JSON string escaping against TextDecoder and JSON.stringify.
import { describe, expect, it } from 'vitest';
import { jsonStringState, putJsonStringBody, putUtf8Replaced, utf8ReplacedLength } from './utf8.js';

const decoder = new TextDecoder(); // WHATWG: replacement of maximal subparts, the oracle for our replacement
const utf8 = new TextEncoder();
const out = new Uint8Array(6 * 4096 + 16);

function jsonBody(bytes: Uint8Array): { text: string; replaced: boolean } {
  const end = putJsonStringBody(out, 0, bytes, 0, bytes.length);
  return { text: decoder.decode(out.subarray(0, end)), replaced: jsonStringState.replaced };
}

function randomBytes(seed: number, n: number, bias: 'any' | 'utf8ish'): Uint8Array {
  let x = seed >>> 0 || 1;
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = x >>> 0;
    // utf8ish favours lead and continuation bytes so that long, nearly valid sequences occur often
    b[i] = bias === 'any' ? r & 0xff : [0x41, 0xc3, 0xe2, 0xf0, 0xf4, 0xed, 0xe0, 0x80, 0xbf, 0x9f, 0xa0, 0x8f, 0x90][r % 13];
  }
  return b;
}

// Byte sequences the WHATWG decoder treats specially: overlongs, surrogates, beyond U+10FFFF, truncations.
const CASES: number[][] = [
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xe0, 0xa0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0x9f, 0xbf],
  [0xf0, 0x80, 0x80, 0x80],
  [0xf0, 0x90, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xf5, 0x80],
  [0xe2, 0x82],
  [0xe2, 0x82, 0x41],
  [0xf0, 0x9f, 0x98],
  [0x80],
  [0xff, 0xfe],
  [0x41, 0xe2, 0x82, 0xac, 0x42],
];

describe('UTF-8 replacement', () => {
  it('replaces exactly as TextDecoder does, on edge sequences and random bytes', () => {
    const inputs: Uint8Array[] = CASES.map((c) => Uint8Array.from(c));
    for (let s = 1; s <= 400; s++) inputs.push(randomBytes(s, 1 + (s % 40), s % 2 === 0 ? 'any' : 'utf8ish'));
    for (const bytes of inputs) {
      const want = decoder.decode(bytes);
      const end = putUtf8Replaced(out, 0, bytes, 0, bytes.length);
      expect(decoder.decode(out.subarray(0, end)), `bytes ${Buffer.from(bytes).toString('hex')}`).toBe(want);
      const len = utf8ReplacedLength(bytes, 0, bytes.length);
      expect(Math.abs(len)).toBe(end);
      expect(len < 0).toBe(!Buffer.from(utf8.encode(want)).equals(bytes));
    }
  });

  it('reports valid text with a non-negative length', () => {
    const bytes = utf8.encode('ünïcödé €𝄞 plain');
    expect(utf8ReplacedLength(bytes, 0, bytes.length)).toBe(bytes.length);
  });
});

describe('putJsonStringBody', () => {
  it('produces exactly JSON.stringify of the text for valid UTF-8, every ASCII character included', () => {
    let all = '';
    for (let c = 0; c < 128; c++) all += String.fromCharCode(c);
    for (const s of [all, 'q" b\\ n\n', 'ünïcödé €𝄞 \u2028\u2029', '']) {
      const got = jsonBody(utf8.encode(s));
      expect(`"${got.text}"`).toBe(JSON.stringify(s));
      expect(got.replaced).toBe(false);
    }
  });

  it('parses back (JSON.parse) to what TextDecoder makes of any bytes, and flags replacement', () => {
    for (let s = 1; s <= 300; s++) {
      const bytes = randomBytes(s * 7919, 1 + (s % 64), s % 3 === 0 ? 'utf8ish' : 'any');
      const got = jsonBody(bytes);
      const want = decoder.decode(bytes);
      expect(JSON.parse(`"${got.text}"`)).toBe(want);
      expect(got.replaced).toBe(!Buffer.from(utf8.encode(want)).equals(bytes));
    }
  });
});
