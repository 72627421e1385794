// The lines QEMU's scripts/simpletrace.py prints when run as a script (spec §5.4), byte for byte.
import type { EventDecl, RawArg } from '@unitrace/core';
import { deltaText } from './delta.js';
import { pyBytesRepr } from './py-repr.js';

/**
 * Formats records as simpletrace.py's default pretty-printer does: `<name> <delta_us> pid=<pid> <arg>=<value> …`,
 * the delta from the previous record (the first shows 0.000; dropped records take part), every non-string argument
 * as `0x` + lower-case hex of its raw u64, every string as Python's repr of its bytes. An event without arguments
 * keeps the space after `pid=<pid>`. One formatter per trace: it remembers the previous timestamp.
 */
export class SimpletraceFormatter {
  #prev: bigint | undefined;

  /** The line of one record, without its newline. `args` must be decoded by `decl`'s types (raw words, bytes). */
  line(decl: EventDecl, timestampNs: bigint, pid: number, args: readonly RawArg[]): string {
    const delta = this.#prev === undefined ? '0.000' : deltaText(timestampNs, this.#prev);
    this.#prev = timestampNs;
    let s = `${decl.name} ${delta} pid=${pid} `;
    const declared = decl.args;
    for (let i = 0; i < declared.length; i++) {
      const v = args[i];
      if (i > 0) s += ' ';
      s += typeof v === 'bigint' ? `${declared[i].name}=0x${v.toString(16)}` : `${declared[i].name}=${pyBytesRepr(v)}`;
    }
    return s;
  }
}
