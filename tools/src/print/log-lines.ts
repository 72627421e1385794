// QEMU log-backend lines (`<name> <formatted>\n`, spec §6) rendered from decoded simpletrace arguments.
import { type ByteWriter, type CompiledFormat, compileEventFormat, type EventDecl, type RawArg, renderValuesInto } from '@unitrace/core';

/**
 * Renders records as the log backend would have printed them: the event name, a space, the catalog format expanded
 * with the arguments by core's printf engine (byte-exact with glibc), and a newline. Raw words are passed as the C
 * caller's values: the engine converts them to the declared types, which gives back what was stored. A NULL string
 * was recorded as empty, so it prints as "" (not "(null)"). Compiles each format once.
 */
export class LogLineWriter {
  readonly #compiled = new Map<EventDecl, CompiledFormat>();

  /** Appends the line of one record to `out`. */
  event(out: ByteWriter, decl: EventDecl, args: readonly RawArg[]): void {
    let compiled = this.#compiled.get(decl);
    if (compiled === undefined) this.#compiled.set(decl, (compiled = compileEventFormat(decl)));
    out.pushAscii(decl.name);
    out.pushByte(0x20);
    renderValuesInto(compiled, args, out);
    out.pushByte(0x0a);
  }

  /** Appends the notice the stderr backend prints for lost records: `unitrace: dropped N events`. */
  dropped(out: ByteWriter, count: bigint): void {
    out.pushAscii(`unitrace: dropped ${count} ${count === 1n ? 'event' : 'events'}\n`);
  }
}
