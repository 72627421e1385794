import { describe, expect, it } from 'vitest';
import { makeDecl } from '../../test/support/c-types.js';
import { encodePayload } from '../../test/support/payload.js';
import { ByteWriter } from './byte-writer.js';
import { compileFormat } from './compile-format.js';
import { FORMAT_MARKERS } from './format-op.js';
import { renderPayload, renderValues, type RenderValue } from './render.js';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Renders `template` for one argument of C type `type` with the given raw value. */
function one(template: string, type: string, value: RenderValue): string {
  return text(renderValues(compileFormat(makeDecl('ev', [type]), template), [value]));
}

// Expected texts below follow C11 7.21.6.1 and glibc's documented choices ((nil), (null)), worked out by hand;
// test/printf-gcc.test.ts checks the same rules against gcc-compiled printf.
describe('integer conversions', () => {
  it('convert to the declared type first: truncate, then sign- or zero-extend', () => {
    expect(one('%d', 'uint8_t', 0x1ffn)).toBe('255');
    expect(one('%d', 'int8_t', 0x1ffn)).toBe('-1');
    expect(one('%d', 'int16_t', 0x18000n)).toBe('-32768');
    expect(one('%u', 'uint16_t', -1n)).toBe('65535');
    expect(one('%d', 'char', 0x80n)).toBe('-128');
    expect(one('%d', 'unsigned char', -1)).toBe('255');
    expect(one('%u', 'uint32_t', 0x1_0000_0005n)).toBe('5');
  });

  it('convert bool to 0 or 1, whatever the non-zero value', () => {
    expect(one('%d', 'bool', 0x100n)).toBe('1');
    expect(one('%d', 'bool', 0x1_0000_0000n)).toBe('1');
    expect(one('%d', 'bool', 0n)).toBe('0');
    expect(one('%d', 'bool', true)).toBe('1');
  });

  it('reinterpret by the conversion length and signedness', () => {
    expect(one('%d', 'uint32_t', 0x80000000n)).toBe('-2147483648');
    expect(one('%x', 'int', -1n)).toBe('ffffffff');
    expect(one('%llx', 'int64_t', -1n)).toBe('ffffffffffffffff');
    expect(one('%hhx', 'int', 0x1234n)).toBe('34');
    expect(one('%hhd', 'int', 0xffn)).toBe('-1');
    expect(one('%hd', 'uint32_t', 0x18000n)).toBe('-32768');
    expect(one('%hu', 'int', -1n)).toBe('65535');
    expect(one('%x', 'uint64_t', 0x1234_5678_9abc_def0n)).toBe('9abcdef0');
    expect(one('%lu', 'uint64_t', -1n)).toBe('18446744073709551615');
    expect(one('%lld', 'int64_t', -(2n ** 63n))).toBe('-9223372036854775808');
    expect(one('%zd', 'ssize_t', 2n ** 63n - 1n)).toBe('9223372036854775807');
  });

  it('print 64-bit values exactly across the 2^53 boundary without losing digits', () => {
    expect(one('%llu', 'uint64_t', 2n ** 53n + 1n)).toBe('9007199254740993');
    expect(one('%llu', 'uint64_t', 10n ** 19n)).toBe('10000000000000000000');
    expect(one('%llo', 'uint64_t', -1n)).toBe('1777777777777777777777');
    expect(one('%llo', 'uint64_t', 0o1234567012345670123n)).toBe('1234567012345670123');
    expect(one('%llX', 'uint64_t', 0xabcdef0012345678n)).toBe('ABCDEF0012345678');
    expect(one('%llx', 'uint64_t', 0x1_0000_0000n)).toBe('100000000');
  });

  it('accept numbers as values, including negative and fractional ones', () => {
    expect(one('%d', 'int', -5)).toBe('-5');
    expect(one('%lld', 'int64_t', -(2 ** 40))).toBe('-1099511627776');
    expect(one('%d', 'int', 3.9)).toBe('3');
    expect(one('%u', 'unsigned', Number.NaN)).toBe('0');
  });

  it('apply flags, width and precision as C specifies', () => {
    expect(one('%08x', 'uint32_t', 0xbeefn)).toBe('0000beef');
    expect(one('%-6d|', 'int', -12n)).toBe('-12   |');
    expect(one('%+d', 'int', 5n)).toBe('+5');
    expect(one('% d', 'int', 5n)).toBe(' 5');
    expect(one('%+u', 'unsigned', 5n)).toBe('5');
    expect(one('%.5d', 'int', -42n)).toBe('-00042');
    expect(one('%8.3d', 'int', 7n)).toBe('     007');
    expect(one('%08.3d', 'int', -5n)).toBe('    -005');
    expect(one('%-08d|', 'int', 5n)).toBe('5       |');
    expect(one('%+08d', 'int', 5n)).toBe('+0000005');
    expect(one('%2.2x', 'uint8_t', 5n)).toBe('05');
  });

  it('print nothing for value 0 under precision 0, except the sign and %#o', () => {
    expect(one('[%.0d]', 'int', 0n)).toBe('[]');
    expect(one('[%.d]', 'int', 0n)).toBe('[]');
    expect(one('[%+.0d]', 'int', 0n)).toBe('[+]');
    expect(one('[%5.0x]', 'int', 0n)).toBe('[     ]');
    expect(one('[%#.0x]', 'int', 0n)).toBe('[]');
    expect(one('[%#.0o]', 'int', 0n)).toBe('[0]');
  });

  it('apply # to o, x and X only when it changes something', () => {
    expect(one('%#o', 'int', 8n)).toBe('010');
    expect(one('%#o', 'int', 0n)).toBe('0');
    expect(one('%#.3o', 'int', 8n)).toBe('010');
    expect(one('%#x', 'int', 255n)).toBe('0xff');
    expect(one('%#X', 'int', 255n)).toBe('0XFF');
    expect(one('%#x', 'int', 0n)).toBe('0');
    expect(one('%#08x', 'int', 255n)).toBe('0x0000ff');
  });

  it('take * width from an int argument, negative meaning left-justify', () => {
    const c = compileFormat(makeDecl('ev', ['int', 'uint64_t']), '[%0*llx]');
    expect(text(renderValues(c, [8n, 0x1fn]))).toBe('[0000001f]');
    expect(text(renderValues(c, [-8n, 0x1fn]))).toBe('[1f      ]');
    expect(text(renderValues(c, [0x1_0000_0003n, 0x1fn]))).toBe('[01f]');
    const p = compileFormat(makeDecl('ev', ['int', 'int']), '[%.*d]');
    expect(text(renderValues(p, [-1n, 0n]))).toBe('[0]');
    expect(text(renderValues(p, [3n, 7n]))).toBe('[007]');
  });
});

describe('%p, %s and %c', () => {
  it('%p prints 0x and lower-case hex, (nil) for NULL, and width applies to the whole text', () => {
    expect(one('%p', 'void *', 0x7f00deadbeefn)).toBe('0x7f00deadbeef');
    expect(one('%p', 'void *', null)).toBe('(nil)');
    expect(one('[%8p]', 'void *', 0n)).toBe('[   (nil)]');
    expect(one('[%-10p]', 'void *', 0x10n)).toBe('[0x10      ]');
    expect(one('[%08p]', 'void *', 0x10n)).toBe('[0x000010]');
    expect(one('%p', 'void *', -1n)).toBe('0xffffffffffffffff');
  });

  it('%s prints the bytes, cut by precision; NULL is (null), or nothing under a precision below 6', () => {
    expect(one('[%s]', 'const char *', 'abc')).toBe('[abc]');
    expect(one('[%.2s]', 'const char *', 'abc')).toBe('[ab]');
    expect(one('[%5s]', 'const char *', 'abc')).toBe('[  abc]');
    expect(one('[%-5s]', 'const char *', 'abc')).toBe('[abc  ]');
    expect(one('[%05s]', 'const char *', 'abc')).toBe('[  abc]');
    expect(one('[%s]', 'const char *', '')).toBe('[]');
    expect(one('[%s]', 'const char *', null)).toBe('[(null)]');
    expect(one('[%.6s]', 'const char *', null)).toBe('[(null)]');
    expect(one('[%.5s]', 'const char *', null)).toBe('[]');
    expect(one('[%8.3s]', 'const char *', null)).toBe('[        ]');
  });

  it('%s prints raw bytes from a Uint8Array and UTF-8 from a JS string, and stops at a NUL like printf', () => {
    expect([...renderValues(compileFormat(makeDecl('ev', ['char *']), '%s'), [Uint8Array.of(0xff, 0x41)])]).toEqual([0xff, 0x41]);
    expect([...renderValues(compileFormat(makeDecl('ev', ['char *']), '%s'), ['é'])]).toEqual([0xc3, 0xa9]);
    expect(one('[%s]', 'const char *', Uint8Array.of(0x61, 0, 0x62))).toBe('[a]');
  });

  it('%c prints one raw byte of the value, not UTF-8', () => {
    expect([...renderValues(compileFormat(makeDecl('ev', ['int']), '%c'), [0xff])]).toEqual([0xff]);
    expect([...renderValues(compileFormat(makeDecl('ev', ['int']), '%c'), [0x141])]).toEqual([0x41]);
    expect(one('[%3c]', 'char', 0x41n)).toBe('[  A]');
    expect(one('[%-3c]', 'char', 0x41n)).toBe('[A  ]');
  });
});

describe('renderValues with bad input', () => {
  it('prints markers for missing values and values of the wrong kind, never throwing', () => {
    const c = compileFormat(makeDecl('ev', ['int', 'const char *', 'int']), '%d %s %d');
    expect(text(renderValues(c, [1n]))).toBe(`1 ${FORMAT_MARKERS.missing} ${FORMAT_MARKERS.missing}`);
    expect(text(renderValues(c, ['x', 5, undefined]))).toBe(
      `${FORMAT_MARKERS.badValue} ${FORMAT_MARKERS.badValue} ${FORMAT_MARKERS.missing}`,
    );
  });
});

describe('renderPayload', () => {
  const decl = makeDecl('ev', ['int', 'const char *', 'uint64_t']);
  const c = compileFormat(decl, '%d [%s] 0x%llx');
  const types = decl.args.map((a) => a.type);

  function fromPayload(payload: Uint8Array, start = 0, end = payload.length): [boolean, string] {
    const out = new ByteWriter(16);
    out.pushAscii('ev ');
    const ok = renderPayload(c, payload, new DataView(payload.buffer, payload.byteOffset, payload.byteLength), start, end, out);
    return [ok, text(out.subarray())];
  }

  it('decodes 8-byte words and length-prefixed strings, appending to what the writer holds', () => {
    const payload = encodePayload(types, [-2n, new TextEncoder().encode('hi'), 0xdead_beef_cafen]);
    expect(fromPayload(payload)).toEqual([true, 'ev -2 [hi] 0xdeadbeefcafe']);
  });

  it('renders a payload inside a larger buffer, ignoring bytes outside the range', () => {
    const inner = encodePayload(types, [7n, new Uint8Array(0), 1n]);
    const outer = new Uint8Array(inner.length + 20).fill(0xee);
    outer.set(inner, 10);
    expect(fromPayload(outer, 10, 10 + inner.length)).toEqual([true, 'ev 7 [] 0x1']);
  });

  it('re-applies the declared type to a word a hostile guest stored out of range', () => {
    const d = makeDecl('ev', ['uint8_t', 'bool']);
    const k = compileFormat(d, '%u %d');
    const payload = Uint8Array.of(0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    const out = new ByteWriter();
    expect(renderPayload(k, payload, new DataView(payload.buffer), 0, 16, out)).toBe(true);
    expect(text(out.subarray())).toBe('52 1');
  });

  it('returns false and prints <truncated> for a short payload or a string that runs past the end', () => {
    const payload = encodePayload(types, [3n, new TextEncoder().encode('abcdef'), 9n]);
    const t = FORMAT_MARKERS.truncated;
    expect(fromPayload(payload, 0, payload.length - 1)).toEqual([false, `ev 3 [abcdef] 0x${t}`]);
    expect(fromPayload(payload, 0, 8 + 4 + 5)).toEqual([false, `ev 3 [${t}] 0x${t}`]);
    expect(fromPayload(payload, 0, 7)).toEqual([false, `ev ${t} [${t}] 0x${t}`]);
    expect(fromPayload(payload, 0, 0)).toEqual([false, `ev ${t} [${t}] 0x${t}`]);
  });

  it('never reads outside the range even when the buffer ends there', () => {
    const payload = encodePayload(types, [3n, new TextEncoder().encode('abcdef'), 9n]);
    for (let cut = 0; cut <= payload.length; cut++) {
      const exact = payload.slice(0, cut);
      const [ok] = fromPayload(exact, 0, cut);
      expect(ok).toBe(cut === payload.length);
      expect(() => fromPayload(exact, 0, cut + 100)).not.toThrow();
      expect(() => fromPayload(exact, -5, cut)).not.toThrow();
    }
  });

  it('allocates no new writer store for common lines once warmed up', () => {
    const payload = encodePayload(types, [3n, new TextEncoder().encode('abc'), 9n]);
    const out = new ByteWriter(1 << 16);
    const store = out.bytes;
    const view = new DataView(payload.buffer);
    for (let i = 0; i < 1000; i++) {
      renderPayload(c, payload, view, 0, payload.length, out);
      out.pushByte(10);
    }
    expect(out.bytes).toBe(store);
    expect(out.length).toBe(1000 * '3 [abc] 0x9\n'.length);
  });
});
