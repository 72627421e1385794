// Renders a compiled format from a simpletrace payload (sinks, tools) or from JS values, byte-exact with glibc.
import { ByteWriter } from './byte-writer.js';
import {
  ARG_STRING,
  STATE_BAD_VALUE,
  STATE_MARKERS,
  STATE_MISSING,
  STATE_OK,
  STATE_TRUNCATED,
  type CompiledFormat,
} from './compile-format.js';
import { emitChar, emitInteger, emitNullString, emitPadded, emitPointer } from './emit.js';
import { OP_CHAR, OP_INT, OP_LITERAL, OP_POINTER, OP_STRING } from './format-op.js';
import { MAX_FIELD_WIDTH } from './parse-format.js';

const TWO_32 = 4294967296;

/** One JS value per declared argument for `renderValues`. */
export type RenderValue = bigint | number | boolean | Uint8Array | string | null | undefined;

/**
 * Renders the event's format from a simpletrace payload into `out` (the formatted text only: no name, no newline).
 * Each non-string argument is 8 little-endian bytes, each string a u32 length and its bytes. Returns false when the
 * payload ends before an argument or a string runs past `payloadEnd`; those arguments print `<truncated>`. Never
 * throws, never reads outside `[payloadStart, payloadEnd)`, allocates nothing; bytes after the last argument are
 * ignored; a string prints up to its first NUL byte, as printf would. `view` must view the same memory as `bytes`,
 * from the same offset.
 */
export function renderPayload(
  compiled: CompiledFormat,
  bytes: Uint8Array,
  view: DataView,
  payloadStart: number,
  payloadEnd: number,
  out: ByteWriter,
): boolean {
  const ok = decodePayload(compiled, bytes, view, payloadStart, payloadEnd);
  renderOps(compiled, out);
  return ok;
}

/**
 * Renders the event's format from JS values, as the C caller passed them (before conversion to the declared
 * types), into `out`. Integers and pointers: number (truncated toward zero; NaN and infinities are 0), bigint,
 * boolean, or null (0, a NULL pointer). Strings: a JS string (its UTF-8 bytes), a Uint8Array (its bytes as they
 * are), or null (a NULL string: `(null)`, as glibc prints it). A missing value (`undefined`, or past the end of
 * `values`) prints `<missing>`; a value of the wrong kind prints `<bad value>`. Never throws; not for hot paths
 * (strings given as text are encoded per call).
 */
export function renderValuesInto(compiled: CompiledFormat, values: ReadonlyArray<RenderValue>, out: ByteWriter): void {
  decodeValues(compiled, values);
  renderOps(compiled, out);
}

const valuesWriter = new ByteWriter(256);

/** Like `renderValuesInto`, returning a fresh copy of the rendered bytes. For tools and tests, not hot paths. */
export function renderValues(compiled: CompiledFormat, values: ReadonlyArray<RenderValue>): Uint8Array {
  valuesWriter.reset();
  renderValuesInto(compiled, values, valuesWriter);
  return valuesWriter.bytes.slice(0, valuesWriter.length);
}

/** Stores an argument as C passes it: converted to its declared type, then promoted (types under 64 bits → int). */
function store(c: CompiledFormat, i: number, lo: number, hi: number): void {
  c.state[i] = STATE_OK;
  if (c.argBool[i] === 1) {
    c.lo[i] = lo !== 0 || hi !== 0 ? 1 : 0;
    c.hi[i] = 0;
    return;
  }
  switch (c.argBits[i]) {
    case 8:
      c.lo[i] = c.argSigned[i] === 1 ? (lo << 24) >> 24 : lo & 0xff;
      c.hi[i] = 0;
      return;
    case 16:
      c.lo[i] = c.argSigned[i] === 1 ? (lo << 16) >> 16 : lo & 0xffff;
      c.hi[i] = 0;
      return;
    case 32:
      // gcc on x86-64 passes a 32-bit value in a register whose upper half it has cleared.
      c.lo[i] = lo;
      c.hi[i] = 0;
      return;
    default:
      c.lo[i] = lo;
      c.hi[i] = hi;
  }
}

function decodePayload(c: CompiledFormat, bytes: Uint8Array, view: DataView, start: number, end: number): boolean {
  const n = c.argKind.length;
  const limit = Math.min(end, bytes.length, view.byteLength);
  let o = start >= 0 ? start : limit + 1;
  for (let i = 0; i < n; i++) {
    if (c.argKind[i] === ARG_STRING) {
      if (o + 4 > limit) return truncateFrom(c, i);
      const len = view.getUint32(o, true);
      if (len > limit - o - 4) return truncateFrom(c, i);
      c.state[i] = STATE_OK;
      c.strSrc[i] = bytes;
      c.strStart[i] = o + 4;
      c.strLen[i] = len;
      o += 4 + len;
    } else {
      if (o + 8 > limit) return truncateFrom(c, i);
      store(c, i, view.getUint32(o, true), view.getUint32(o + 4, true));
      o += 8;
    }
  }
  return true;
}

function truncateFrom(c: CompiledFormat, first: number): false {
  for (let i = first; i < c.state.length; i++) c.state[i] = STATE_TRUNCATED;
  return false;
}

const utf8 = new TextEncoder();

function decodeValues(c: CompiledFormat, values: ReadonlyArray<RenderValue>): void {
  const n = c.argKind.length;
  for (let i = 0; i < n; i++) {
    const v = i < values.length ? values[i] : undefined;
    if (v === undefined) {
      c.state[i] = STATE_MISSING;
      continue;
    }
    if (c.argKind[i] === ARG_STRING) {
      if (typeof v === 'string' || v instanceof Uint8Array || v === null) {
        const src = typeof v === 'string' ? utf8.encode(v) : v;
        c.state[i] = STATE_OK;
        c.strSrc[i] = src;
        c.strStart[i] = 0;
        c.strLen[i] = src === null ? 0 : src.length;
      } else c.state[i] = STATE_BAD_VALUE;
      continue;
    }
    if (v === null || typeof v === 'boolean') store(c, i, v === true ? 1 : 0, 0);
    else if (typeof v === 'number') {
      const t = Number.isFinite(v) ? Math.trunc(v) : 0;
      store(c, i, t >>> 0, Math.floor(t / TWO_32) >>> 0);
    } else if (typeof v === 'bigint') {
      store(c, i, Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n)));
    } else c.state[i] = STATE_BAD_VALUE;
  }
}

function renderOps(c: CompiledFormat, out: ByteWriter): void {
  const ops = c.ops;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    if (op.kind === OP_LITERAL) {
      out.pushBytes(op.bytes);
      continue;
    }
    let width = op.width;
    let precision = op.precision;
    let minus = op.minus;
    let bad = STATE_OK;
    if (op.widthArg >= 0) {
      bad = c.state[op.widthArg];
      // A `*` reads an int; a negative one means the `-` flag.
      const w = c.lo[op.widthArg] | 0;
      if (w < 0) minus = true;
      width = Math.min(Math.abs(w), MAX_FIELD_WIDTH);
    }
    if (op.precArg >= 0) {
      if (bad === STATE_OK) bad = c.state[op.precArg];
      const p = c.lo[op.precArg] | 0;
      precision = p < 0 ? -1 : Math.min(p, MAX_FIELD_WIDTH);
    }
    const a = op.arg;
    if (bad === STATE_OK) bad = c.state[a];
    if (bad !== STATE_OK) {
      out.pushBytes(STATE_MARKERS[bad]);
      continue;
    }
    switch (op.kind) {
      case OP_INT:
        emitInteger(out, op, c.lo[a], c.hi[a], width, precision, minus);
        break;
      case OP_STRING: {
        const src = c.strSrc[a];
        if (src === null) emitNullString(out, width, precision, minus);
        else {
          // printf reads a C string: it ends at the first NUL even when the record holds more bytes.
          const s = c.strStart[a];
          const stop = s + (precision >= 0 && precision < c.strLen[a] ? precision : c.strLen[a]);
          let e = s;
          while (e < stop && src[e] !== 0) e++;
          emitPadded(out, src, s, e - s, width, minus);
        }
        break;
      }
      case OP_POINTER:
        emitPointer(out, op, c.lo[a], c.hi[a], width, precision, minus);
        break;
      case OP_CHAR:
        emitChar(out, c.lo[a], width, minus);
        break;
    }
  }
}
