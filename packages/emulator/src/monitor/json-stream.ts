// Splits a QMP byte stream into JSON texts the way QEMU's lexer and streamer do, with a bound on what it keeps.
import { parseJson } from './json-parse.js';
import type { JsonValue } from './json-value.js';

/** One thing the stream produced: a complete JSON value, or an error to answer (QMP GenericError `desc`). */
export type StreamItem = { readonly kind: 'value'; readonly value: JsonValue } | { readonly kind: 'error'; readonly desc: string };

/** Limits of a JsonStream. */
export interface JsonStreamOptions {
  /** Most bytes one JSON text may span, whitespace between its tokens included (default 1 MiB). */
  readonly maxMessageBytes?: number;
  /** Most `{`/`[` open at once (default 1024, QEMU's limit). */
  readonly maxNesting?: number;
}

/** Default bound on one request. */
export const DEFAULT_MAX_MESSAGE_BYTES: number = 1 << 20;
const DEFAULT_MAX_NESTING = 1024;

// Lexer states; a byte that no state accepts is a lexical error.
const START = 0;
const RECOVERY = 1;
const DQ = 2;
const DQ_ESC = 3;
const SQ = 4;
const SQ_ESC = 5;
const ZERO = 6;
const SIGN = 7;
const DIGITS = 8;
const MANTISSA = 9;
const MANTISSA_DIGITS = 10;
const EXP_E = 11;
const EXP_SIGN = 12;
const EXP_DIGITS = 13;
const KEYWORD = 14;

const utf8Lossy = new TextDecoder('utf-8');
const MAX_QUOTE_BYTES = 64;

/**
 * QEMU's framing, not lines: a lexer turns bytes into tokens, and a text ends as soon as its `{}`/`[]` counts are
 * back to zero (or below), so a bare scalar is a text of its own and a stray `}` is an error of its own.
 *
 * - A lexical error (a byte no token can take: a control character, `@`, an upper-case letter, a control byte
 *   inside a string) answers `JSON parse error, stray '<token>'` at once, drops the text in progress, and skips
 *   input up to the next structural character, control character, 0xFE or 0xFF. So `\x01\n` always brings the
 *   stream back to a clean start (QMP spec: forcing the parser into known-good state).
 * - A grammar error answers `JSON parse error, <reason>` when the text ends.
 * - A text longer than `maxMessageBytes` answers `JSON token size limit exceeded` once; the rest of that text is
 *   read and thrown away without being kept. Nesting beyond `maxNesting` does the same with QEMU's nesting message.
 *
 * Memory stays below `maxMessageBytes` plus the chunks handed to `push`. Never throws for any input.
 */
export class JsonStream {
  readonly #maxBytes: number;
  readonly #maxNesting: number;
  #chunks: Uint8Array[] = [];
  #chunkPos = 0;
  #items: StreamItem[] = [];
  #state = START;
  #text = new Uint8Array(4096);
  #len = 0;
  #tokenStart = 0;
  #braces = 0;
  #brackets = 0;
  #skipping = false;

  constructor(options: JsonStreamOptions = {}) {
    this.#maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#maxNesting = options.maxNesting ?? DEFAULT_MAX_NESTING;
  }

  /** Bytes of the text in progress that are being kept (for tests of the bound). */
  get bufferedBytes(): number {
    return this.#len;
  }

  /** Queues input; nothing is lexed until `next()`. The caller bounds how much it pushes before reading. */
  push(chunk: Uint8Array): void {
    if (chunk.length > 0) this.#chunks.push(chunk);
  }

  /** The next item, lexing as little input as needed; undefined when all pushed input is consumed. */
  next(): StreamItem | undefined {
    while (this.#items.length === 0) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) return undefined;
      while (this.#chunkPos < chunk.length && this.#items.length === 0) this.#feed(chunk[this.#chunkPos++]!);
      if (this.#chunkPos >= chunk.length) {
        this.#chunks.shift();
        this.#chunkPos = 0;
      }
    }
    return this.#items.shift();
  }

  /**
   * End of input: a number or keyword that only lacked its terminator is completed (it may finish a text);
   * an unterminated text is dropped without an answer. Call once `next()` returned undefined, then drain `next()`.
   */
  end(): void {
    switch (this.#state) {
      case ZERO:
      case DIGITS:
      case MANTISSA_DIGITS:
      case EXP_DIGITS:
      case KEYWORD:
        this.#state = START;
        this.#tokenEnd(false);
        break;
      default:
        break;
    }
    this.#state = START;
    this.#reset();
  }

  #feed(b: number): void {
    for (;;) {
      switch (this.#state) {
        case START:
          this.#start(b);
          return;
        case RECOVERY:
          if (isResyncPoint(b)) {
            this.#state = START;
            continue;
          }
          return;
        case DQ:
        case SQ:
          if (b < 0x20 || b > 0xfd) return this.#error(b);
          this.#append(b);
          if (b === 0x5c) this.#state = this.#state === DQ ? DQ_ESC : SQ_ESC;
          else if (b === (this.#state === DQ ? 0x22 : 0x27)) this.#endToken(false);
          return;
        case DQ_ESC:
        case SQ_ESC:
          if (b < 0x20 || b > 0xfd) return this.#error(b);
          this.#append(b);
          this.#state = this.#state === DQ_ESC ? DQ : SQ;
          return;
        case SIGN:
          if (b === 0x30) this.#state = ZERO;
          else if (isDigit(b)) this.#state = DIGITS;
          else return this.#error(b);
          this.#append(b);
          return;
        case ZERO:
          if (isDigit(b)) return this.#error(b);
          if (b === 0x2e) return this.#take(b, MANTISSA);
          this.#endToken(false);
          continue;
        case DIGITS:
          if (isDigit(b)) return this.#take(b, DIGITS);
          if (b === 0x2e) return this.#take(b, MANTISSA);
          if (b === 0x65 || b === 0x45) return this.#take(b, EXP_E);
          this.#endToken(false);
          continue;
        case MANTISSA:
          if (isDigit(b)) return this.#take(b, MANTISSA_DIGITS);
          return this.#error(b);
        case MANTISSA_DIGITS:
          if (isDigit(b)) return this.#take(b, MANTISSA_DIGITS);
          if (b === 0x65 || b === 0x45) return this.#take(b, EXP_E);
          this.#endToken(false);
          continue;
        case EXP_E:
          if (b === 0x2b || b === 0x2d) return this.#take(b, EXP_SIGN);
          if (isDigit(b)) return this.#take(b, EXP_DIGITS);
          return this.#error(b);
        case EXP_SIGN:
          if (isDigit(b)) return this.#take(b, EXP_DIGITS);
          return this.#error(b);
        case EXP_DIGITS:
          if (isDigit(b)) return this.#take(b, EXP_DIGITS);
          this.#endToken(false);
          continue;
        case KEYWORD:
          if (b >= 0x61 && b <= 0x7a) return this.#take(b, KEYWORD);
          this.#endToken(false);
          continue;
        default:
          return;
      }
    }
  }

  #start(b: number): void {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) {
      // Whitespace inside a text is kept (and counted against the bound); between texts it is not.
      if (this.#len > 0) this.#append(b);
      return;
    }
    this.#tokenStart = this.#len;
    if (b === 0x22) return this.#take(b, DQ);
    if (b === 0x27) return this.#take(b, SQ);
    if (b === 0x30) return this.#take(b, ZERO);
    if (b === 0x2d) return this.#take(b, SIGN);
    if (isDigit(b)) return this.#take(b, DIGITS);
    if (b >= 0x61 && b <= 0x7a) return this.#take(b, KEYWORD);
    if (b === 0x7b || b === 0x7d || b === 0x5b || b === 0x5d || b === 0x3a || b === 0x2c) {
      this.#append(b);
      if (b === 0x7b) this.#braces++;
      else if (b === 0x7d) this.#braces--;
      else if (b === 0x5b) this.#brackets++;
      else if (b === 0x5d) this.#brackets--;
      this.#endToken(true);
      return;
    }
    this.#error(b);
  }

  #take(b: number, next: number): void {
    this.#append(b);
    this.#state = next;
  }

  #append(b: number): void {
    if (this.#skipping) return;
    if (this.#len >= this.#maxBytes) {
      this.#items.push({ kind: 'error', desc: 'JSON token size limit exceeded' });
      this.#skip();
      return;
    }
    if (this.#len === this.#text.length) {
      const grown = new Uint8Array(Math.min(this.#text.length * 2, this.#maxBytes));
      grown.set(this.#text);
      this.#text = grown;
    }
    this.#text[this.#len++] = b;
  }

  /** A token is complete (structural ones have updated the counts): maybe the text is complete too. */
  #endToken(structural: boolean): void {
    this.#state = START;
    this.#tokenEnd(structural);
  }

  #tokenEnd(structural: boolean): void {
    if (structural && !this.#skipping && this.#braces + this.#brackets > this.#maxNesting) {
      this.#items.push({ kind: 'error', desc: 'JSON nesting depth limit exceeded' });
      this.#skip();
    }
    const open = this.#braces > 0 || this.#brackets > 0;
    if (open && this.#braces >= 0 && this.#brackets >= 0) return;
    if (!this.#skipping) {
      const outcome = parseJson(this.#text, 0, this.#len);
      this.#items.push(
        outcome.ok ? { kind: 'value', value: outcome.value } : { kind: 'error', desc: `JSON parse error, ${outcome.error}` },
      );
    }
    this.#reset();
  }

  /** Drops what is kept of the current text; the counts go on so the rest of it is recognised and ignored. */
  #skip(): void {
    this.#skipping = true;
    this.#len = 0;
    this.#shrink();
  }

  #error(b: number): void {
    // A long token is quoted by its head; the byte at fault is always shown.
    const length = this.#skipping ? 0 : this.#len - this.#tokenStart;
    const shown = length > MAX_QUOTE_BYTES ? MAX_QUOTE_BYTES / 2 : length;
    const head = utf8Lossy.decode(this.#text.subarray(this.#tokenStart, this.#tokenStart + shown));
    const text = `${head}${shown < length ? '...' : ''}${utf8Lossy.decode(Uint8Array.of(b))}`;
    this.#items.push({ kind: 'error', desc: `JSON parse error, stray '${text}'` });
    this.#reset();
    this.#state = RECOVERY;
  }

  #reset(): void {
    this.#len = 0;
    this.#braces = 0;
    this.#brackets = 0;
    this.#skipping = false;
    this.#shrink();
  }

  #shrink(): void {
    if (this.#text.length > 65536) this.#text = new Uint8Array(4096);
  }
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** Where error recovery may restart: structural characters, control characters but tab, and 0xFE/0xFF. */
function isResyncPoint(b: number): boolean {
  if (b === 0x09) return false;
  if (b < 0x20 || b >= 0xfe) return true;
  return b === 0x7b || b === 0x7d || b === 0x5b || b === 0x5d || b === 0x3a || b === 0x2c;
}
