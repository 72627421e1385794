// Parses one delimited JSON text (QEMU's dialect: single-quoted strings too) into a JsonValue, or says why not.
import type { JsonObject, JsonValue } from './json-value.js';

/** The outcome of parsing: a value, or the reason in QEMU's words without the `JSON parse error, ` prefix. */
export type ParseOutcome = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly error: string };

const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;
/** Deeper than the stream splitter ever lets through; only a guard for direct callers. */
const MAX_DEPTH = 1100;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class ParseFailure {
  constructor(readonly reason: string) {}
}

/**
 * Parses `bytes[start, end)` as exactly one JSON value. Strings may be double- or single-quoted and accept `\'`;
 * raw bytes in strings must be valid UTF-8. Integers within int64 or uint64 become `bigint`, others doubles.
 * Must not be used where standard JSON is required: it accepts QEMU's extensions.
 */
export function parseJson(bytes: Uint8Array, start: number = 0, end: number = bytes.length): ParseOutcome {
  const parser = new Parser(bytes, start, end);
  try {
    const value = parser.value(0);
    parser.skipSpace();
    if (!parser.atEnd()) return { ok: false, error: 'expecting end of input' };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof ParseFailure) return { ok: false, error: err.reason };
    throw err;
  }
}

class Parser {
  #pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.#pos = start;
  }

  atEnd(): boolean {
    return this.#pos >= this.end;
  }

  skipSpace(): void {
    while (this.#pos < this.end) {
      const b = this.bytes[this.#pos]!;
      if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return;
      this.#pos++;
    }
  }

  #peek(): number {
    this.skipSpace();
    if (this.#pos >= this.end) throw new ParseFailure('premature EOI');
    return this.bytes[this.#pos]!;
  }

  value(depth: number): JsonValue {
    const b = this.#peek();
    if (b === 0x7b /* { */) return this.#object(depth + 1);
    if (b === 0x5b /* [ */) return this.#array(depth + 1);
    if (b === 0x22 || b === 0x27) return this.#string();
    if (b === 0x2d || (b >= 0x30 && b <= 0x39)) return this.#number();
    if (b >= 0x61 && b <= 0x7a) return this.#keyword();
    throw new ParseFailure('expecting value');
  }

  #object(depth: number): JsonObject {
    if (depth > MAX_DEPTH) throw new ParseFailure('nesting depth limit exceeded');
    this.#pos++;
    const object: JsonObject = Object.create(null) as JsonObject;
    if (this.#peek() === 0x7d) {
      this.#pos++;
      return object;
    }
    for (;;) {
      const q = this.#peek();
      if (q !== 0x22 && q !== 0x27) throw new ParseFailure('expecting key');
      const key = this.#string();
      if (this.#peek() !== 0x3a) throw new ParseFailure("expecting ':'");
      this.#pos++;
      const member = this.value(depth);
      if (Object.prototype.hasOwnProperty.call(object, key)) throw new ParseFailure('duplicate key');
      object[key] = member;
      const next = this.#peek();
      this.#pos++;
      if (next === 0x7d) return object;
      if (next !== 0x2c) throw new ParseFailure("expected ',' or '}'");
    }
  }

  #array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) throw new ParseFailure('nesting depth limit exceeded');
    this.#pos++;
    const array: JsonValue[] = [];
    if (this.#peek() === 0x5d) {
      this.#pos++;
      return array;
    }
    for (;;) {
      array.push(this.value(depth));
      const next = this.#peek();
      this.#pos++;
      if (next === 0x5d) return array;
      if (next !== 0x2c) throw new ParseFailure("expected ',' or ']'");
    }
  }

  #keyword(): JsonValue {
    const from = this.#pos;
    while (this.#pos < this.end && this.bytes[this.#pos]! >= 0x61 && this.bytes[this.#pos]! <= 0x7a) this.#pos++;
    const word = ascii(this.bytes, from, this.#pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new ParseFailure(`invalid keyword '${clip(word)}'`);
  }

  #number(): number | bigint {
    const from = this.#pos;
    let integer = true;
    while (this.#pos < this.end) {
      const b = this.bytes[this.#pos]!;
      if (b === 0x2e || b === 0x65 || b === 0x45) integer = false;
      else if (!(b === 0x2d || b === 0x2b || (b >= 0x30 && b <= 0x39))) break;
      this.#pos++;
    }
    const text = ascii(this.bytes, from, this.#pos);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) throw new ParseFailure('expecting value');
    if (integer) {
      const n = BigInt(text);
      if (n >= INT64_MIN && n <= UINT64_MAX) return n;
    }
    return Number(text);
  }

  #string(): string {
    const quote = this.bytes[this.#pos]!;
    let pos = this.#pos + 1;
    let out = '';
    let run = pos;
    const flush = (to: number): void => {
      if (to > run) out += decodeRun(this.bytes, run, to);
    };
    for (;;) {
      if (pos >= this.end) throw new ParseFailure('premature EOI');
      const b = this.bytes[pos]!;
      if (b === quote) break;
      if (b !== 0x5c) {
        pos++;
        continue;
      }
      flush(pos);
      const escapeStart = pos;
      const e = this.bytes[pos + 1];
      pos += 2;
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) out += simple;
      else if (e === 0x75 /* u */) {
        const unit = hex4(this.bytes, pos, this.end);
        pos += 4;
        if (unit >= 0xd800 && unit <= 0xdbff && this.bytes[pos] === 0x5c && this.bytes[pos + 1] === 0x75) {
          const low = hex4(this.bytes, pos + 2, this.end);
          if (low < 0xdc00 || low > 0xdfff) throw badCharacter(this.bytes, escapeStart, pos);
          out += String.fromCharCode(unit, low);
          pos += 6;
        } else if (unit < 0 || (unit >= 0xd800 && unit <= 0xdfff)) {
          throw badCharacter(this.bytes, escapeStart, Math.min(pos, this.end));
        } else out += String.fromCharCode(unit);
      } else throw new ParseFailure('invalid escape sequence in string');
      run = pos;
    }
    flush(pos);
    this.#pos = pos + 1;
    return out;
  }
}

const SIMPLE_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x22, '"'],
  [0x27, "'"],
  [0x5c, '\\'],
  [0x2f, '/'],
  [0x62, '\b'],
  [0x66, '\f'],
  [0x6e, '\n'],
  [0x72, '\r'],
  [0x74, '\t'],
]);

function decodeRun(bytes: Uint8Array, from: number, to: number): string {
  try {
    return utf8.decode(bytes.subarray(from, to));
  } catch {
    throw new ParseFailure('invalid UTF-8 sequence in string');
  }
}

/** Four hex digits at `pos` as a number, or -1 when they are not all hex digits. */
function hex4(bytes: Uint8Array, pos: number, end: number): number {
  if (pos + 4 > end) return -1;
  let value = 0;
  for (let i = pos; i < pos + 4; i++) {
    const digit = HEX.indexOf(String.fromCharCode(bytes[i]!).toLowerCase());
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

const HEX = '0123456789abcdef';

function badCharacter(bytes: Uint8Array, from: number, to: number): ParseFailure {
  return new ParseFailure(`${ascii(bytes, from, to)} is not a valid Unicode character`);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}

/** Error texts quote input; a quote longer than this is cut so one reply stays small. */
export const MAX_QUOTE = 64;

/** `text` cut to MAX_QUOTE characters, marked with `...` when cut. */
export function clip(text: string): string {
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}...` : text;
}
