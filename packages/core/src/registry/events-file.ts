// The `-trace events=FILE` format (spec §4.2): one enable pattern per line, `#` comments, warnings with FILE:LINE.
//
// Two deliberate differences from QEMU, both about line ends and lengths:
// - QEMU chops the last byte of every line unconditionally, assuming it is `\n`. A last line without `\n` then
//   loses its last real character, a one-byte last line is skipped as empty, and `\r\n` files keep the `\r`, so
//   every pattern of a Windows-edited file silently matches nothing. We strip exactly one trailing `\n` and a `\r`
//   right before it, and nothing else: the last line keeps its last character, and `\r\n` lines work.
// - QEMU reads through a 1024-byte fgets buffer, so a line longer than 1023 bytes reaches it as several patterns.
//   We keep every line whole (and a NUL byte stays part of its line, where C would end the string there).
// Otherwise QEMU's rules stand: no trimming of spaces, `#` only as the very first character, `-NAME` disables,
// globs work, and warnings are warnings.
//
// `help` or `?` on a line: QEMU prints the event list and exits. An events file is applied in the middle of
// setting up a machine, so we neither print nor exit; the line yields a W_EVENTS_FILE warning saying the list was
// asked for and changes nothing. A caller that wants QEMU's behaviour can print the list when it sees it.
import type { Diagnostic } from '../events/decl.js';
import { printable } from './messages.js';
import type { EnableResult } from './types.js';

/** One line of an events file that goes to `trace_enable_events`: its 1-based number and its text. */
export interface EventsFileLine {
  readonly line: number;
  readonly text: string;
}

/**
 * Splits an events file into the lines to apply: line ends stripped (one `\n`, and a `\r` before it), empty lines
 * and lines starting with `#` dropped, numbers counting every line. Must not trim or otherwise change a line.
 */
export function splitEventsFile(text: string): EventsFileLine[] {
  const lines: EventsFileLine[] = [];
  let start = 0;
  for (let number = 1; start < text.length; number++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const cut = newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : end;
    const line = text.slice(start, cut);
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    lines.push({ line: number, text: line });
  }
  return lines;
}

/** The warning for a `help`/`?` line: the list was asked for, and an events file does not print it. */
export function helpInEventsFile(text: string): string {
  return `'${printable(text)}' asks for the list of trace events, which an events file does not print`;
}

/**
 * Applies an events file through `enable` (the registry's `trace_enable_events`), line by line, and returns its
 * warnings as W_EVENTS_FILE diagnostics located at FILE:LINE. Never throws for anything in `text`.
 */
export function applyEventsFileLines(
  text: string,
  file: string,
  enable: (pattern: string) => EnableResult,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { line, text: pattern } of splitEventsFile(text)) {
    const result = enable(pattern);
    const messages = result.help ? [helpInEventsFile(pattern)] : result.warnings;
    for (const message of messages) {
      diagnostics.push({ severity: 'warning', code: 'W_EVENTS_FILE', message, location: { file, line } });
    }
  }
  return diagnostics;
}
