// What a sink prepares once per event when a source is described: the name's bytes and the compiled format.
import { compileEventFormat, type CompiledFormat, type EventDecl } from '@unitrace/core';
import type { Palette } from './colors.js';

/** One event's line: `name` holds `<name> ` (wrapped in the palette's codes), `format` renders the rest. */
export interface LinePlan {
  readonly name: Uint8Array;
  readonly format: CompiledFormat;
}

const utf8 = new TextEncoder();

/**
 * Compiles an event's line. QEMU's log backend prints `"<name> " <fmt> "\n"` (spec §6), so the name and its space
 * are one pre-encoded run; an absent or empty format leaves `<name> ` with its trailing space. Never throws: a
 * format that does not tokenise prints its raw text (core's rule).
 */
export function planLine(decl: EventDecl, guestIndex: number, palette: Palette): LinePlan {
  const open = palette.nameOpen(guestIndex);
  const name = utf8.encode(decl.name);
  const bytes = new Uint8Array(open.length + name.length + palette.nameClose.length + 1);
  bytes.set(open, 0);
  bytes.set(name, open.length);
  bytes.set(palette.nameClose, open.length + name.length);
  bytes[bytes.length - 1] = 0x20;
  return { name: bytes, format: compileEventFormat(decl) };
}
