// JSON lines: a serializer per event with the fixed parts pre-encoded, formatting only the values of each record.
import { REC_LENGTH, REC_PAYLOAD, REC_PID, REC_TIMESTAMP, type RecordBatch } from '@unitrace/core';
import { putPointer, putU64, putUint, putHexBytes, SAFE_HI_LIMIT } from './encode/digits.js';
import { putBytes, putSegment, segment, viewOf, type Encoding, type EventEncoder, type Segment } from './encode/encoding.js';
import {
  DROPPED_RECORD_NAME,
  OP_BOOL,
  OP_I64,
  OP_POINTER,
  OP_SIGNED,
  OP_STRING,
  OP_U64,
  OP_UNSIGNED,
  split,
  splitNumber,
  type EventPlan,
} from './encode/event-plan.js';
import { jsonStringState, putJsonStringBody, utf8ReplacedLength } from './encode/utf8.js';

const TWO_32 = 4294967296;
const QUOTE = 0x22;
const utf8 = new TextEncoder();
const bytesOf = (text: string): Uint8Array => utf8.encode(text);
const TRUE = segment(bytesOf('true'));
const GUEST_CLOCK_KEY = segment(bytesOf(',"guest_clock":'));
const FIELDS_RAW_KEY = bytesOf(',"fields_raw":{');
const FALSE = segment(bytesOf('false'));

/** Writes a u64 as a JSON number when it is at most 2^53 − 1, as a quoted decimal string beyond. */
function putJsonU64(out: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi < SAFE_HI_LIMIT) return putUint(out, pos, hi * TWO_32 + lo);
  out[pos] = QUOTE;
  pos = putU64(out, pos + 1, hi, lo);
  out[pos] = QUOTE;
  return pos + 1;
}

/** Writes a two's-complement i64 the same way (exact numbers down to −(2^53 − 1), strings beyond). */
function putJsonI64(out: Uint8Array, pos: number, hi: number, lo: number): number {
  if (hi < 0x8000_0000) return putJsonU64(out, pos, hi, lo);
  const nlo = (~lo + 1) >>> 0;
  const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
  if (nhi < SAFE_HI_LIMIT) {
    out[pos] = 0x2d; // -
    return putUint(out, pos + 1, nhi * TWO_32 + nlo);
  }
  out[pos] = QUOTE;
  out[pos + 1] = 0x2d;
  pos = putU64(out, pos + 2, nhi, nlo);
  out[pos] = QUOTE;
  return pos + 1;
}

/** Writes a non-negative number read from a double (guest clock, drop time, count); NaN and negatives give 0. */
function putJsonNumber(out: Uint8Array, pos: number, v: number): number {
  v = v > 0 ? Math.floor(v) : 0;
  if (v <= Number.MAX_SAFE_INTEGER) return putUint(out, pos, v);
  splitNumber(v);
  return putJsonU64(out, pos, split.hi, split.lo);
}

class JsonEventEncoder implements EventEncoder {
  readonly fixedBytes: number;
  readonly #head: Uint8Array; // {"name":"p:e","timestamp":
  readonly #midText: string; // ,"procname":"…","origin":"…"
  readonly #fieldsText: string; // ,"id":…,"fields":{ and the first argument's key
  readonly #guest: boolean;
  readonly #keys: Segment[]; // ,"arg": (the first one is part of the id-and-fields segment)
  readonly #rawKeys: Uint8Array[]; // "arg":" for fields_raw
  readonly #ops: Uint8Array;
  readonly #shifts: Uint8Array;
  readonly #fields: Uint8Array; // guest records: what follows the guest clock
  // Everything between the timestamp and the first value for the last pid seen: pids rarely change.
  #pid = -1;
  #mid: Uint8Array = new Uint8Array(0);

  constructor(plan: EventPlan, procname: string) {
    this.#head = bytesOf(`{"name":${JSON.stringify(plan.fullName)},"timestamp":`);
    this.#midText = `,"procname":${JSON.stringify(procname)},"origin":"${plan.origin}"`;
    const id = (BigInt(plan.idHi) << 32n) | BigInt(plan.idLo);
    const idText = id <= BigInt(Number.MAX_SAFE_INTEGER) ? String(id) : `"${id}"`;
    const firstKey = plan.argNames.length > 0 ? `${JSON.stringify(plan.argNames[0])}:` : '';
    this.#fieldsText = `,"id":${idText},"fields":{${firstKey}`;
    this.#fields = bytesOf(this.#fieldsText);
    this.#guest = plan.origin === 'guest';
    this.#keys = plan.argNames.map((n) => segment(bytesOf(`,${JSON.stringify(n)}:`)));
    this.#rawKeys = plan.argNames.map((n) => bytesOf(`${JSON.stringify(n)}:"`));
    this.#ops = plan.ops;
    this.#shifts = plan.shifts;
    this.#setPid(0);
    let fixed = this.#head.length + this.#mid.length + this.#fields.length + GUEST_CLOCK_KEY.length;
    fixed += 22 + 22 + 10 + 4 + FIELDS_RAW_KEY.length; // timestamp, guest clock, pid, closing
    for (let k = 0; k < this.#keys.length; k++) fixed += this.#keys[k].length + this.#rawKeys[k].length + 4;
    this.fixedBytes = fixed;
  }

  #setPid(pid: number): void {
    this.#pid = pid;
    const mid = `,"cpu_id":0,"vpid":${pid}${this.#midText}`;
    this.#mid = bytesOf(this.#guest ? mid : mid + this.#fieldsText);
  }

  encode(out: Uint8Array, pos: number, batch: RecordBatch, i: number): number {
    const view = batch.view;
    const outView = viewOf(out);
    const o = batch.offsets[i];
    const end = o + 8 + view.getUint32(o + REC_LENGTH, true);
    if (end > batch.byteLength) return -1;
    pos = putBytes(out, pos, this.#head);
    const tsHi = view.getUint32(o + REC_TIMESTAMP + 4, true);
    const tsLo = view.getUint32(o + REC_TIMESTAMP, true);
    pos = tsHi < SAFE_HI_LIMIT ? putUint(out, pos, tsHi * TWO_32 + tsLo) : putJsonU64(out, pos, tsHi, tsLo);
    const pid = view.getUint32(o + REC_PID, true);
    if (pid !== this.#pid) this.#setPid(pid);
    pos = putBytes(out, pos, this.#mid);
    if (this.#guest) {
      const gc = batch.guestClock === undefined ? -1 : batch.guestClock[i];
      if (gc >= 0) {
        pos = putSegment(out, outView, pos, GUEST_CLOCK_KEY);
        pos = putJsonNumber(out, pos, gc);
      }
      pos = putBytes(out, pos, this.#fields);
    }
    const ops = this.#ops;
    const bytes = batch.bytes;
    let p = o + REC_PAYLOAD;
    let replaced = false;
    for (let k = 0; k < ops.length; k++) {
      if (k > 0) pos = putSegment(out, outView, pos, this.#keys[k]);
      const op = ops[k];
      if (op === OP_STRING) {
        if (p + 4 > end) return -1;
        const n = view.getUint32(p, true);
        if (n > end - p - 4) return -1;
        out[pos] = QUOTE;
        pos = putJsonStringBody(out, pos + 1, bytes, p + 4, p + 4 + n);
        out[pos++] = QUOTE;
        if (jsonStringState.replaced) replaced = true;
        p += 4 + n;
        continue;
      }
      if (p + 8 > end) return -1;
      const lo = view.getUint32(p, true);
      p += 8;
      if (op === OP_SIGNED) {
        const s = this.#shifts[k];
        const v = (lo << s) >> s;
        if (v < 0) {
          out[pos++] = 0x2d;
          pos = putUint(out, pos, -v);
        } else pos = putUint(out, pos, v);
      } else if (op === OP_UNSIGNED) {
        pos = putUint(out, pos, (lo << this.#shifts[k]) >>> this.#shifts[k]);
      } else if (op === OP_BOOL) {
        pos = putSegment(out, outView, pos, (lo & 0xff) !== 0 ? TRUE : FALSE);
      } else {
        const hi = view.getUint32(p - 4, true);
        if (op === OP_U64) pos = putJsonU64(out, pos, hi, lo);
        else if (op === OP_I64) pos = putJsonI64(out, pos, hi, lo);
        else if (op === OP_POINTER) {
          out[pos] = QUOTE;
          pos = putPointer(out, pos + 1, hi, lo);
          out[pos++] = QUOTE;
        }
      }
    }
    out[pos++] = 0x7d; // }
    if (replaced) pos = this.#putRaw(out, pos, batch, o + REC_PAYLOAD);
    out[pos] = 0x7d;
    out[pos + 1] = 0x0a;
    return pos + 2;
  }

  // Rare path: the original bytes of every string argument that needed U+FFFD, as hex, so nothing is lost.
  #putRaw(out: Uint8Array, pos: number, batch: RecordBatch, p: number): number {
    pos = putBytes(out, pos, FIELDS_RAW_KEY);
    let first = true;
    for (let k = 0; k < this.#ops.length; k++) {
      if (this.#ops[k] !== OP_STRING) {
        p += 8;
        continue;
      }
      const n = batch.view.getUint32(p, true);
      if (utf8ReplacedLength(batch.bytes, p + 4, p + 4 + n) < 0) {
        if (!first) out[pos++] = 0x2c;
        first = false;
        pos = putBytes(out, pos, this.#rawKeys[k]);
        pos = putHexBytes(out, pos, batch.bytes, p + 4, p + 4 + n);
        out[pos++] = QUOTE;
      }
      p += 4 + n;
    }
    out[pos] = 0x7d;
    return pos + 1;
  }
}


const DROPPED_HEAD = bytesOf(`{"name":"${DROPPED_RECORD_NAME}","timestamp":`);
const DROPPED_MIDDLE = bytesOf(`,"origin":"host","fields":{"count":`);

/** The JSON-lines encoding: one record per line, UTF-8, `\n` after each. */
export const jsonEncoding: Encoding = {
  name: 'json',
  extension: '.json',
  event: (plan, procname) => new JsonEventEncoder(plan, procname),
  droppedBytes: DROPPED_HEAD.length + DROPPED_MIDDLE.length + 22 + 22 + 4,
  dropped(out, pos, count, timeNs) {
    pos = putBytes(out, pos, DROPPED_HEAD);
    pos = putJsonNumber(out, pos, timeNs);
    pos = putBytes(out, pos, DROPPED_MIDDLE);
    pos = putJsonNumber(out, pos, count);
    out[pos] = 0x7d;
    out[pos + 1] = 0x7d;
    out[pos + 2] = 0x0a;
    return pos + 3;
  },
};
