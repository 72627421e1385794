// QEMU log-backend lines (`<name> <formatted>\n`, spec §6) rendered from a reader batch's record bytes.
import { type ByteWriter, type CompiledFormat, compileEventFormat, type EventDecl, type RecordBatch, renderPayload } from '@unitrace/core';
import type { Output } from '../io/output.js';
import { latin1Bytes } from '../simpletrace/text-bytes.js';

/** Offsets in a v4 record (from its type word), as the batch holds it. */
const ID = 8;
const LENGTH = 24;
const PAYLOAD = 32;

/**
 * Renders records as the log backend would have printed them: the event name, a space, the catalog format expanded
 * with the record's payload by core's printf engine (byte-exact with glibc; each stored word is converted to its
 * declared type as the C caller's value would have been), and a newline. A NULL string was recorded as empty, so
 * it prints as "" (not "(null)"). Compiles each format once; allocates nothing per record.
 */
export class LogLineWriter {
  readonly #decls: readonly EventDecl[];
  readonly #compiled: Array<CompiledFormat | undefined>;
  readonly #names: Array<Uint8Array | undefined>;

  /** `decls[i]` declares the records whose batch event index is i. */
  constructor(decls: readonly EventDecl[]) {
    this.#decls = decls;
    this.#compiled = new Array<CompiledFormat | undefined>(decls.length).fill(undefined);
    this.#names = new Array<Uint8Array | undefined>(decls.length).fill(undefined);
  }

  /**
   * Appends the line of every record of `batch` to `out`, writing out each 64 KiB gathered. Returns true when it
   * wrote some (the caller then awaits `out.ready()`).
   */
  batch(batch: RecordBatch, out: Output): boolean {
    const buf = out.buf;
    const view = batch.view;
    let wrote = false;
    for (let i = 0; i < batch.count; i++) {
      const r = batch.offsets[i];
      const ev = batch.events[i];
      const compiled = this.#compiled[ev] ?? this.#compile(ev);
      buf.pushBytes(this.#names[ev]!);
      renderPayload(compiled, batch.bytes, view, r + PAYLOAD, r + ID + view.getUint32(r + LENGTH, true), buf);
      buf.pushByte(0x0a);
      if (out.flushIfFull()) wrote = true;
    }
    return wrote;
  }

  /** Appends the notice the stderr backend prints for lost records: `unitrace: dropped N events`. */
  dropped(out: ByteWriter, count: bigint): void {
    out.pushAscii(`unitrace: dropped ${count} ${count === 1n ? 'event' : 'events'}\n`);
  }

  #compile(ev: number): CompiledFormat {
    const decl = this.#decls[ev];
    if (decl === undefined) throw new RangeError(`record with event index ${ev}: no declaration for it`);
    this.#names[ev] = latin1Bytes(`${decl.name} `);
    return (this.#compiled[ev] = compileEventFormat(decl));
  }
}
