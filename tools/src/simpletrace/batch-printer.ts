// simpletrace.py's lines (spec §5.4) written from a reader batch's record bytes straight into the output buffer.
import type { EventDecl, RecordBatch } from '@unitrace/core';
import type { Output } from '../io/output.js';
import { latin1Bytes, pyReprBound, WRITE_SLACK, writeDecimal, writeDelta, writeHex64, writePyRepr } from './text-bytes.js';

/** Offsets in a v4 record (from its type word), as the batch holds it. */
const TIMESTAMP = 16;
const LENGTH = 24;
const PID = 28;
const PAYLOAD = 32;
/** ` pid` as a little-endian u32; `=` follows. */
const PID_WORD = 0x64697020;
/** Bytes of a line besides the plan's text and the values: delta (28), ` pid=` and a u32 (15), space, newline. */
const LINE_EXTRA = 28 + 15 + 2 + WRITE_SLACK;

/**
 * The constant text of one event's lines as little-endian u32 words, copied four bytes per store: segment 0 is the
 * name and a space; segment i + 1 is argument i's name and `=` (after a space from the second argument on), and `0x`
 * for a number. Segment s is `words[wordStart[s] .. wordStart[s + 1])`, `length[s]` bytes long (the last word
 * padded: the bytes after it are overwritten by what follows).
 */
interface LinePlan {
  readonly words: Uint32Array;
  readonly wordStart: Int32Array;
  readonly length: Int32Array;
  /** 1 for a string argument. */
  readonly isString: Uint8Array;
  /** Most bytes a line takes besides its string arguments' bytes (4 for each payload byte covers those). */
  readonly bound: number;
}

function planOf(decl: EventDecl): LinePlan {
  const segments: Uint8Array[] = [latin1Bytes(`${decl.name} `)];
  const isString = new Uint8Array(decl.args.length);
  decl.args.forEach((a, i) => {
    isString[i] = a.type.kind === 'string' ? 1 : 0;
    segments.push(latin1Bytes(`${i > 0 ? ' ' : ''}${a.name}=${isString[i] ? '' : '0x'}`));
  });
  const wordStart = new Int32Array(segments.length + 1);
  const length = new Int32Array(segments.length);
  segments.forEach((s, i) => {
    length[i] = s.length;
    wordStart[i + 1] = wordStart[i] + Math.ceil(s.length / 4);
  });
  const words = new Uint32Array(wordStart[segments.length]);
  segments.forEach((seg, i) => seg.forEach((b, k) => (words[wordStart[i] + (k >> 2)] |= b << ((k & 3) << 3))));
  return { words, wordStart, length, isString, bound: 4 * words.length + LINE_EXTRA + 16 * isString.length + pyReprBound(0) * isString.length };
}

/**
 * Formats records as simpletrace.py's default pretty-printer does, byte for byte (the same lines as
 * `SimpletraceFormatter`): `<name> <delta_us> pid=<pid> <arg>=<value> …`, the delta from the previous record (the
 * first shows 0.000; dropped records take part), every non-string argument as `0x` and the lower-case hex of its raw
 * u64, every string as Python's repr of its bytes. Reads each record where the batch holds it and writes into the
 * output's buffer: nothing is allocated per record. One printer per trace: it remembers the previous timestamp.
 * Records must be checked against their declarations first (the reader does): a payload is not bounds-checked here.
 */
export class SimpletraceBatchPrinter {
  readonly #decls: readonly EventDecl[];
  readonly #plans: Array<LinePlan | undefined>;
  readonly #droppedPlan: LinePlan;
  #started = false;
  #prevLo = 0;
  #prevHi = 0;
  /** A DataView of the output buffer's current store (the buffer replaces its store when it grows). */
  #view: DataView = new DataView(new ArrayBuffer(0));
  #viewBytes: Uint8Array | undefined;
  /** ` pid=<pid> ` of the last pid seen, as little-endian u32 words (a trace rarely has more than one pid). */
  readonly #pidWords = new Uint32Array(4);
  #pidLength = 0;
  #pid = -1;

  /** `decls[i]` declares the records whose batch event index is i; `dropped` is simpletrace.py's Dropped_Event. */
  constructor(decls: readonly EventDecl[], dropped: EventDecl) {
    this.#decls = decls;
    this.#plans = new Array<LinePlan | undefined>(decls.length).fill(undefined);
    this.#droppedPlan = planOf(dropped);
  }

  /**
   * Appends the line of every record of `batch` to `out`, writing out each 64 KiB gathered. Returns true when it
   * wrote some (the caller then awaits `out.ready()`).
   */
  batch(batch: RecordBatch, out: Output): boolean {
    const buf = out.buf;
    const src = batch.bytes;
    const view = batch.view;
    const offsets = batch.offsets;
    const events = batch.events;
    let wrote = false;
    for (let i = 0; i < batch.count; i++) {
      const r = offsets[i];
      const ev = events[i];
      const plan = this.#plans[ev] ?? this.#plan(ev);
      buf.ensure(plan.bound + 4 * (view.getUint32(r + LENGTH, true) - (PAYLOAD - 8)));
      const dst = this.#viewOf(buf.bytes);
      let o = this.#head(dst, buf.length, plan, view.getUint32(r + TIMESTAMP, true), view.getUint32(r + TIMESTAMP + 4, true), view.getUint32(r + PID, true));
      const isString = plan.isString;
      let p = r + PAYLOAD;
      for (let a = 0; a < isString.length; a++) {
        o = copySegment(dst, o, plan, a + 1);
        if (isString[a] === 1) {
          const n = view.getUint32(p, true);
          o = writePyRepr(dst, o, src, p + 4, p + 4 + n);
          p += 4 + n;
        } else {
          o = writeHex64(dst, o, view.getUint32(p, true), view.getUint32(p + 4, true));
          p += 8;
        }
      }
      dst.setUint8(o, 0x0a);
      buf.length = o + 1;
      if (out.flushIfFull()) wrote = true;
    }
    return wrote;
  }

  /** Appends the line of a dropped record (`Dropped_Event … num_events_dropped=0x…`). Returns as `batch` does. */
  dropped(pid: number, timestampNs: bigint, count: bigint, out: Output): boolean {
    const buf = out.buf;
    const plan = this.#droppedPlan;
    buf.ensure(plan.bound);
    const dst = this.#viewOf(buf.bytes);
    let o = this.#head(dst, buf.length, plan, Number(timestampNs & 0xffffffffn), Number(timestampNs >> 32n), pid);
    o = copySegment(dst, o, plan, 1);
    o = writeHex64(dst, o, Number(count & 0xffffffffn), Number((count >> 32n) & 0xffffffffn));
    dst.setUint8(o, 0x0a);
    buf.length = o + 1;
    return out.flushIfFull();
  }

  /** Writes `<name> <delta> pid=<pid> ` at `o` and moves the previous timestamp on; returns the end. */
  #head(dst: DataView, o: number, plan: LinePlan, tsLo: number, tsHi: number, pid: number): number {
    o = copySegment(dst, o, plan, 0);
    if (this.#started) o = writeDelta(dst, o, tsLo, tsHi, this.#prevLo, this.#prevHi);
    else {
      this.#started = true;
      dst.setUint32(o, 0x30302e30, true); // '0.00'
      dst.setUint8(o + 4, 0x30);
      o += 5;
    }
    this.#prevLo = tsLo;
    this.#prevHi = tsHi;
    if (pid !== this.#pid) this.#pidText(pid);
    const words = this.#pidWords;
    for (let k = 0, at = o; k < words.length; k++, at += 4) dst.setUint32(at, words[k], true);
    return o + this.#pidLength;
  }

  /** Makes ` pid=<pid> ` the text `#head` copies. */
  #pidText(pid: number): void {
    const text = new DataView(this.#pidWords.buffer);
    text.setUint32(0, PID_WORD, true);
    text.setUint8(4, 0x3d);
    const end = writeDecimal(text, 5, pid);
    text.setUint8(end, 0x20);
    // Read back as little-endian words, whatever the machine's byte order.
    for (let k = 0; k < this.#pidWords.length; k++) this.#pidWords[k] = text.getUint32(4 * k, true);
    this.#pidLength = end + 1;
    this.#pid = pid;
  }

  #viewOf(bytes: Uint8Array): DataView {
    // Compared by identity: reading `.buffer` costs a call.
    if (bytes !== this.#viewBytes) {
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.#viewBytes = bytes;
    }
    return this.#view;
  }

  #plan(ev: number): LinePlan {
    const decl = this.#decls[ev];
    if (decl === undefined) throw new RangeError(`record with event index ${ev}: no declaration for it`);
    return (this.#plans[ev] = planOf(decl));
  }
}

/** Copies segment `s` of `plan` to `o`, four bytes per store; returns the end of the segment. */
function copySegment(dst: DataView, o: number, plan: LinePlan, s: number): number {
  const words = plan.words;
  const end = plan.wordStart[s + 1];
  for (let k = plan.wordStart[s], at = o; k < end; k++, at += 4) dst.setUint32(at, words[k], true);
  return o + plan.length[s];
}
