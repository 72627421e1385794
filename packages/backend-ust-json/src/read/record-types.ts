// The records as the reader gives them back.

/** A field value: integers as numbers (bigint beyond ±(2^53 − 1)), booleans, strings (pointers as "0x…"). */
export type UstFieldValue = number | bigint | boolean | string;

/** One traced event. */
export interface UstEventRecord {
  /** `provider:event`. */
  readonly name: string;
  /** Nanoseconds on the host time axis. */
  readonly timestamp: number | bigint;
  readonly cpu_id: number;
  readonly vpid: number;
  readonly procname: string;
  readonly origin: 'host' | 'guest';
  /** The raw guest clock (guest records that carried one). */
  readonly guest_clock?: number | bigint;
  /** The wire id. */
  readonly id: number | bigint;
  /** Every argument under its declared name. */
  readonly fields: Readonly<Record<string, UstFieldValue>>;
  /** Original bytes of string arguments that were not valid UTF-8 (their `fields` text has U+FFFD instead). */
  readonly fields_raw?: Readonly<Record<string, Uint8Array>>;
}

/** Records lost before they reached the file (upstream or in the sink). Has no `id`. */
export interface UstDroppedRecord {
  readonly name: 'unitrace:dropped';
  readonly timestamp: number | bigint;
  readonly origin: 'host';
  readonly fields: { readonly count: number };
}

/** Anything a ust-json trace holds. Tell the two apart by `id` (`'id' in record`). */
export type UstRecord = UstEventRecord | UstDroppedRecord;
