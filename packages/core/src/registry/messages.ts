// QEMU's words for trace-control warnings and errors (spec §4.1, §4.4), with names made safe for one line.

/**
 * `text` with control characters (C0, DEL, C1, U+2028/U+2029) written as escapes (`\r`, `\x1b`, `\u2028`), so a
 * message stays one printable line whatever a pattern holds. Every other character, backslash included, is
 * kept as is, so ordinary names read exactly as QEMU prints them. Must not be used to build a pattern back.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default: {
        const code = ch.charCodeAt(0);
        return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
      }
    }
  });
}

/** `-trace enable=NAME` where nothing matched (a warning in QEMU). */
export function doesNotExist(name: string): string {
  return `trace event '${printable(name)}' does not exist`;
}

/** `-trace enable=NAME` whose first match has the `disable` property (a warning in QEMU). */
export function notTraceable(name: string): string {
  return `trace event '${printable(name)}' is not traceable`;
}

/** QMP trace-event-get-state / set-state with an exact name that no event has. */
export function unknownEvent(name: string): string {
  return `unknown event "${printable(name)}"`;
}

/** QMP trace-event-set-state touching an event with the `disable` property without ignore-unavailable. */
export function eventDisabled(name: string): string {
  return `event "${printable(name)}" is disabled`;
}
