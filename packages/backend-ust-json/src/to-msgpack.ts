// MessagePack framing of the same records: one map per record, written back to back, fixed parts pre-encoded.
import { REC_LENGTH, REC_PAYLOAD, REC_PID, REC_TIMESTAMP, type RecordBatch } from '@unitrace/core';
import { putBytes, type Encoding, type EventEncoder } from './encode/encoding.js';
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
import { putPointer } from './encode/digits.js';
import {
  concatBytes,
  mpStr,
  putMpBinHeader,
  putMpInt32,
  putMpInt64,
  putMpMapHeader,
  putMpStrHeader,
  putMpUint,
} from './encode/msgpack-bytes.js';
import { putUtf8Replaced, utf8ReplacedLength } from './encode/utf8.js';

const MP_TRUE = 0xc3;
const MP_FALSE = 0xc2;

/** Writes a non-negative number read from a double as a MessagePack uint (NaN and negatives give 0). */
function putMpNumber(out: Uint8Array, pos: number, v: number): number {
  splitNumber(v);
  return putMpUint(out, pos, split.hi, split.lo);
}

class MsgpackEventEncoder implements EventEncoder {
  readonly fixedBytes: number;
  readonly #keyCount: number; // top-level keys without guest_clock and fields_raw
  readonly #head: Uint8Array; // "name": str, "timestamp"
  readonly #afterTimestamp: Uint8Array; // "cpu_id": 0, "vpid"
  readonly #afterPid: Uint8Array; // "procname": str, "origin": str
  readonly #guest: boolean;
  readonly #idAndFields: Uint8Array; // "id": uint, "fields": map header
  readonly #keys: Uint8Array[];
  readonly #ops: Uint8Array;
  readonly #shifts: Uint8Array;

  constructor(plan: EventPlan, procname: string) {
    this.#keyCount = 8;
    this.#head = concatBytes(mpStr('name'), mpStr(plan.fullName), mpStr('timestamp'));
    this.#afterTimestamp = concatBytes(mpStr('cpu_id'), Uint8Array.of(0), mpStr('vpid'));
    this.#afterPid = concatBytes(mpStr('procname'), mpStr(procname), mpStr('origin'), mpStr(plan.origin));
    this.#guest = plan.origin === 'guest';
    const id = new Uint8Array(9);
    const idEnd = putMpUint(id, 0, plan.idHi, plan.idLo);
    const fieldsHeader = new Uint8Array(5);
    const fieldsEnd = putMpMapHeader(fieldsHeader, 0, plan.argNames.length);
    this.#idAndFields = concatBytes(mpStr('id'), id.subarray(0, idEnd), mpStr('fields'), fieldsHeader.subarray(0, fieldsEnd));
    this.#keys = plan.argNames.map((n) => mpStr(n));
    this.#ops = plan.ops;
    this.#shifts = plan.shifts;
    let fixed = 1 + this.#head.length + this.#afterTimestamp.length + this.#afterPid.length + this.#idAndFields.length;
    fixed += 9 + GUEST_CLOCK_KEY.length + 9 + 5 + FIELDS_RAW_KEY.length + 5;
    for (const key of this.#keys) fixed += 2 * key.length + 10;
    this.fixedBytes = fixed;
  }

  encode(out: Uint8Array, pos: number, batch: RecordBatch, i: number): number {
    const view = batch.view;
    const o = batch.offsets[i];
    const end = o + 8 + view.getUint32(o + REC_LENGTH, true);
    if (end > batch.byteLength) return -1;
    const mapAt = pos;
    let keys = this.#keyCount;
    pos = putBytes(out, pos + 1, this.#head);
    pos = putMpUint(out, pos, view.getUint32(o + REC_TIMESTAMP + 4, true), view.getUint32(o + REC_TIMESTAMP, true));
    pos = putBytes(out, pos, this.#afterTimestamp);
    pos = putMpUint(out, pos, 0, view.getUint32(o + REC_PID, true));
    pos = putBytes(out, pos, this.#afterPid);
    if (this.#guest) {
      const gc = batch.guestClock === undefined ? -1 : batch.guestClock[i];
      if (gc >= 0) {
        pos = putBytes(out, pos, GUEST_CLOCK_KEY);
        pos = putMpNumber(out, pos, gc);
        keys++;
      }
    }
    pos = putBytes(out, pos, this.#idAndFields);
    const ops = this.#ops;
    const bytes = batch.bytes;
    let p = o + REC_PAYLOAD;
    let replaced = false;
    for (let k = 0; k < ops.length; k++) {
      pos = putBytes(out, pos, this.#keys[k]);
      const op = ops[k];
      if (op === OP_STRING) {
        if (p + 4 > end) return -1;
        const n = view.getUint32(p, true);
        if (n > end - p - 4) return -1;
        const s = p + 4;
        const len = utf8ReplacedLength(bytes, s, s + n);
        if (len >= 0) {
          pos = putMpStrHeader(out, pos, n);
          for (let b = s; b < s + n; b++) out[pos++] = bytes[b];
        } else {
          pos = putMpStrHeader(out, pos, -len);
          pos = putUtf8Replaced(out, pos, bytes, s, s + n);
          replaced = true;
        }
        p = s + n;
        continue;
      }
      if (p + 8 > end) return -1;
      const lo = view.getUint32(p, true);
      p += 8;
      if (op === OP_SIGNED) {
        const sh = this.#shifts[k];
        pos = putMpInt32(out, pos, (lo << sh) >> sh);
      } else if (op === OP_UNSIGNED) {
        pos = putMpUint(out, pos, 0, (lo << this.#shifts[k]) >>> this.#shifts[k]);
      } else if (op === OP_BOOL) {
        out[pos++] = (lo & 0xff) !== 0 ? MP_TRUE : MP_FALSE;
      } else {
        const hi = view.getUint32(p - 4, true);
        if (op === OP_U64) pos = putMpUint(out, pos, hi, lo);
        else if (op === OP_I64) pos = putMpInt64(out, pos, hi, lo);
        else if (op === OP_POINTER) {
          // "0x" plus at most 16 digits: always a fixstr, whose header follows the text once its length is known.
          const at = pos;
          pos = putPointer(out, pos + 1, hi, lo);
          out[at] = 0xa0 | (pos - at - 1);
        }
      }
    }
    if (replaced) {
      pos = this.#putRaw(out, pos, batch, o + REC_PAYLOAD);
      keys++;
    }
    out[mapAt] = 0x80 | keys;
    return pos;
  }

  // Rare path: the original bytes of every string argument that needed U+FFFD, as bin, so nothing is lost.
  #putRaw(out: Uint8Array, pos: number, batch: RecordBatch, start: number): number {
    let count = 0;
    let p = start;
    for (let k = 0; k < this.#ops.length; k++) {
      if (this.#ops[k] !== OP_STRING) p += 8;
      else {
        const n = batch.view.getUint32(p, true);
        if (utf8ReplacedLength(batch.bytes, p + 4, p + 4 + n) < 0) count++;
        p += 4 + n;
      }
    }
    pos = putBytes(out, pos, FIELDS_RAW_KEY);
    pos = putMpMapHeader(out, pos, count);
    p = start;
    for (let k = 0; k < this.#ops.length; k++) {
      if (this.#ops[k] !== OP_STRING) {
        p += 8;
        continue;
      }
      const n = batch.view.getUint32(p, true);
      if (utf8ReplacedLength(batch.bytes, p + 4, p + 4 + n) < 0) {
        pos = putBytes(out, pos, this.#keys[k]);
        pos = putMpBinHeader(out, pos, n);
        out.set(batch.bytes.subarray(p + 4, p + 4 + n), pos);
        pos += n;
      }
      p += 4 + n;
    }
    return pos;
  }
}

const GUEST_CLOCK_KEY = mpStr('guest_clock');
const FIELDS_RAW_KEY = mpStr('fields_raw');
const DROPPED_HEAD = concatBytes(Uint8Array.of(0x84), mpStr('name'), mpStr(DROPPED_RECORD_NAME), mpStr('timestamp'));
const DROPPED_MIDDLE = concatBytes(mpStr('origin'), mpStr('host'), mpStr('fields'), Uint8Array.of(0x81), mpStr('count'));

/** The MessagePack encoding: each record one map, maps back to back with nothing between them. */
export const msgpackEncoding: Encoding = {
  name: 'msgpack',
  extension: '.msgpack',
  event: (plan, procname) => new MsgpackEventEncoder(plan, procname),
  droppedBytes: DROPPED_HEAD.length + DROPPED_MIDDLE.length + 18,
  dropped(out, pos, count, timeNs) {
    pos = putBytes(out, pos, DROPPED_HEAD);
    pos = putMpNumber(out, pos, timeNs);
    pos = putBytes(out, pos, DROPPED_MIDDLE);
    return putMpNumber(out, pos, count);
  },
};
