// Checks a decoded record and gives its integers back their exact types (number, or bigint beyond 2^53 − 1).
import { DROPPED_RECORD_NAME } from '../encode/event-plan.js';
import type { UstRecord } from './record-types.js';

/** Which encoding a decoded value came from: decimal strings are big integers only in JSON. */
export type SourceEncoding = 'json' | 'msgpack';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_I64 = -(2n ** 63n);
const MAX_U64 = 2n ** 64n - 1n;
const CANONICAL_INT = /^(?:0|-?[1-9][0-9]*)$/;
// What the writer produces for an integer field beyond ±(2^53 − 1): 16 to 20 digits, no leading zero.
const BIG_FIELD = /^-?[1-9][0-9]{15,19}$/;
const HEX_PAIRS = /^(?:[0-9a-f]{2})*$/;

function bad(message: string): never {
  throw new Error(message);
}

/** An own data property even for the key `__proto__` (plain assignment would set the prototype instead). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

function narrow(v: bigint): number | bigint {
  return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/** An integer field of the record: a safe integer number, a bigint (msgpack), or a canonical decimal string (JSON). */
function integer(v: unknown, what: string, encoding: SourceEncoding): number | bigint {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) bad(`${what} is not an integer: ${v}`);
    return v;
  }
  if (typeof v === 'bigint') return narrow(v);
  if (encoding === 'json' && typeof v === 'string' && CANONICAL_INT.test(v) && v.length <= 21) {
    const b = BigInt(v);
    if (b >= MIN_I64 && b <= MAX_U64) return narrow(b);
  }
  return bad(`${what} is not an integer: ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)}`);
}

function smallInteger(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad(`${what} is not a non-negative integer`);
  return v;
}

function fieldValue(v: unknown, name: string, encoding: SourceEncoding): number | bigint | boolean | string {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return integer(v, `field ${name}`, encoding);
  if (typeof v === 'string') {
    if (encoding === 'json' && BIG_FIELD.test(v)) {
      const b = BigInt(v);
      if (b >= MIN_I64 && b <= MAX_U64 && (b > MAX_SAFE || b < -MAX_SAFE)) return b;
    }
    return v;
  }
  return bad(`field ${name} has a value of type ${v === null ? 'null' : typeof v}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function rawBytes(v: unknown, name: string, encoding: SourceEncoding): Uint8Array {
  if (encoding === 'msgpack' && v instanceof Uint8Array) return new Uint8Array(v);
  if (encoding === 'json' && typeof v === 'string' && HEX_PAIRS.test(v)) return new Uint8Array(Buffer.from(v, 'hex'));
  return bad(`fields_raw.${name} is not ${encoding === 'json' ? 'a lowercase hex string' : 'bin'}`);
}

/**
 * Checks one decoded record (a plain object; keys may include `__proto__` as an own property) and converts, in
 * place, its integers: bigint within ±(2^53 − 1) → number; in JSON, decimal strings of `timestamp`, `id` and
 * `guest_clock` → bigint, and decimal strings of 16–20 digits in `fields` whose value lies beyond ±(2^53 − 1) →
 * bigint; `fields_raw` → Uint8Array. Throws an Error saying what is wrong; must not be given untrusted prototypes.
 */
export function reviveRecord(rec: unknown, encoding: SourceEncoding): UstRecord {
  if (!isObject(rec)) bad('a record is not an object');
  if (typeof rec.name !== 'string' || rec.name === '') bad('record has no name');
  rec.timestamp = integer(rec.timestamp, 'timestamp', encoding);
  if (rec.origin !== 'host' && rec.origin !== 'guest') bad(`origin is not host or guest`);
  const fields = rec.fields;
  if (!isObject(fields)) bad('record has no fields object');
  if (!('id' in rec)) {
    if (rec.name !== DROPPED_RECORD_NAME) bad(`record ${JSON.stringify(rec.name)} has no id`);
    smallInteger(fields.count, 'dropped count');
    return rec as unknown as UstRecord;
  }
  rec.id = integer(rec.id, 'id', encoding);
  smallInteger(rec.cpu_id, 'cpu_id');
  smallInteger(rec.vpid, 'vpid');
  if (typeof rec.procname !== 'string') bad('procname is not a string');
  if ('guest_clock' in rec) rec.guest_clock = integer(rec.guest_clock, 'guest_clock', encoding);
  for (const key of Object.keys(fields)) setOwn(fields, key, fieldValue(fields[key], key, encoding));
  if ('fields_raw' in rec) {
    const raw = rec.fields_raw;
    if (!isObject(raw)) bad('fields_raw is not an object');
    for (const key of Object.keys(raw)) setOwn(raw, key, rawBytes(raw[key], key, encoding));
  }
  return rec as unknown as UstRecord;
}
