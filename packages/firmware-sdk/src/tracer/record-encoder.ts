// The hot path shared by generated trace functions: reserve a record in guest RAM, write its arguments there.
// Allocates nothing for word and ASCII string arguments, and takes no exit unless a full batch must go out.
import type { Cpu } from '@unitrace/core';
import { MAX_STRING_BYTES, MB_ARGS, MB_DROPPED, MB_PID, MB_TIMESTAMP, GUEST_RECORD_HEADER_BYTES } from '@unitrace/core/channel-abi';

const TWO_32 = 4294967296;
const utf8 = new TextEncoder();

/** Records are appended to a buffer in guest RAM (early or batch buffer). */
export const MODE_BUFFER = 0;
/** Each record goes out alone through the mailbox (hypercall). */
export const MODE_SINGLE = 1;
/** Nothing is recorded (refused, no channel, or shut down). */
export const MODE_OFF = 2;

/**
 * Writes guest records (id u64, guest-clock timestamp u64, length u32, pid u32, arguments) into guest RAM. Generated
 * code calls `begin`, then the `put*` helpers at the offset it returned, then `end`. Subclasses decide what happens
 * when the buffer is full (`makeRoom`) and when a single record is complete (`ring`).
 */
export abstract class RecordEncoder {
  /** Guest RAM and a little-endian view of it (the Cpu's own, so writes are plain stores). */
  readonly ram: Uint8Array;
  readonly view: DataView;
  protected readonly cpu: Cpu;
  protected mode: number = MODE_BUFFER;
  /** Next free byte of the current buffer, and its end. */
  protected cursor = 0;
  protected limit = 0;
  /** Records in the current buffer. */
  protected count = 0;
  /** Records this tracer dropped and has not reported yet (buffer modes). */
  protected dropped = 0;
  /** Every record dropped so far, reported or not. */
  protected droppedTotal = 0;
  protected readonly pid: number;
  /** The mailbox (single mode), the pending id between begin and end, and which events fit a mailbox. */
  protected mailbox = 0;
  protected pendingId = -1;
  protected readonly wordsOnly: Uint8Array;

  constructor(cpu: Cpu, pid: number, wordsOnly: Uint8Array) {
    this.cpu = cpu;
    this.ram = cpu.ram;
    this.view = cpu.ramView;
    this.pid = pid >>> 0;
    this.wordsOnly = wordsOnly;
  }

  /**
   * Reserves a record of local event `id` with `payload` argument bytes, stamped with the guest clock now. Returns
   * where the arguments go, or -1 when the record was dropped (counted) or tracing is off. The caller has checked
   * the event's state bit and must write exactly `payload` bytes, then call `end()`.
   */
  begin(id: number, payload: number): number {
    if (this.mode !== MODE_BUFFER) return this.#beginOther(id, payload);
    const len = GUEST_RECORD_HEADER_BYTES + payload;
    let o = this.cursor;
    if (o + len > this.limit) {
      if (!this.makeRoom(len)) {
        this.dropped++;
        this.droppedTotal++;
        return -1;
      }
      o = this.cursor;
    }
    const v = this.view;
    const ts = this.cpu.rdtsc();
    v.setUint32(o, id, true);
    v.setUint32(o + 4, 0, true);
    v.setUint32(o + 8, ts >>> 0, true);
    v.setUint32(o + 12, (ts / TWO_32) >>> 0, true);
    v.setUint32(o + 16, len, true);
    v.setUint32(o + 20, this.pid, true);
    this.cursor = o + len;
    this.count++;
    return o + GUEST_RECORD_HEADER_BYTES;
  }

  /** Completes the record begun last (single mode: the doorbell exit). Nothing to do in buffer modes. */
  end(): void {
    if (this.pendingId < 0) return;
    const id = this.pendingId;
    this.pendingId = -1;
    this.ring(id);
  }

  /** Writes a u64 argument as two u32 halves; returns the next offset. */
  putWords(o: number, lo: number, hi: number): number {
    this.view.setUint32(o, lo >>> 0, true);
    this.view.setUint32(o + 4, hi >>> 0, true);
    return o + 8;
  }

  /** Writes a u64 argument from a safe integer (negative ones sign-extended); returns the next offset. */
  putNumber(o: number, value: number): number {
    this.view.setUint32(o, value >>> 0, true);
    this.view.setUint32(o + 4, Math.floor(value / TWO_32) >>> 0, true);
    return o + 8;
  }

  /**
   * Writes a signed argument of up to 32 bits (`value | 0`), sign-extended to 64 bits as C promotes it; returns the
   * next offset. The same bytes as `putNumber(o, value | 0)`, with integer operations only.
   */
  putInt(o: number, value: number): number {
    const x = value | 0;
    this.view.setUint32(o, x, true);
    this.view.setUint32(o + 4, x >> 31, true);
    return o + 8;
  }

  /** Writes a u64 argument from a bigint (modulo 2^64, which setBigUint64 applies itself); returns the next offset. */
  putBigInt(o: number, value: bigint): number {
    this.view.setBigUint64(o, value, true);
    return o + 8;
  }

  /** Writes a string argument: u32 `n` (from `strLen`), then its first `n` UTF-8 bytes; returns the next offset. */
  putString(o: number, value: string | null | undefined, n: number): number {
    this.view.setUint32(o, n, true);
    o += 4;
    if (n === 0 || value == null) return o;
    const ram = this.ram;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) {
        ram.set(utf8.encode(value).subarray(0, n), o);
        break;
      }
      ram[o + i] = c;
    }
    return o + n;
  }

  /** Bytes a string argument's text takes: its UTF-8 length, at most 512; 0 for null (as QEMU records NULL). */
  strLen(value: string | null | undefined): number {
    if (value == null) return 0;
    let bytes = 0;
    for (let i = 0, n = value.length; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        bytes += 4;
        i++;
      } else bytes += 3;
      if (bytes >= MAX_STRING_BYTES) return MAX_STRING_BYTES;
    }
    return bytes;
  }

  /** Makes room for a record of `len` bytes (flushing, when allowed); false when it must be dropped. */
  protected abstract makeRoom(len: number): boolean;

  /** Sends the single record of local event `id` now waiting in the mailbox. */
  protected abstract ring(id: number): void;

  /** Counts `n` drops in single mode, where the host collects them from the mailbox. */
  protected dropToMailbox(n: number): void {
    const at = this.mailbox + MB_DROPPED;
    this.view.setUint32(at, (this.view.getUint32(at, true) + n) >>> 0, true);
    this.droppedTotal += n;
  }

  #beginOther(id: number, payload: number): number {
    if (this.mode === MODE_OFF) return -1;
    if (this.wordsOnly[id] !== 1 || payload > 40) {
      this.dropToMailbox(1);
      return -1;
    }
    const v = this.view;
    const mb = this.mailbox;
    const ts = this.cpu.rdtsc();
    v.setUint32(mb + MB_TIMESTAMP, ts >>> 0, true);
    v.setUint32(mb + MB_TIMESTAMP + 4, (ts / TWO_32) >>> 0, true);
    v.setUint32(mb + MB_PID, this.pid, true);
    this.pendingId = id;
    return mb + MB_ARGS;
  }
}
