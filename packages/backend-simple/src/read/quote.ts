// Event names come from the file's mapping records: a hostile file must not put line breaks or terminal escapes
// into the one-line errors that quote them (RELIABILITY.md, F1).
import { quoteText } from '@unitrace/core';

/**
 * `name` in single quotes, safe to print on one line, with every byte outside printable ASCII escaped (the name was
 * decoded from the file's bytes, and the bytes are what a reader of the error needs). Only for messages: the name a
 * record is matched by stays as the file spells it.
 */
export function quoteName(name: string): string {
  return quoteText(name, { ascii: true });
}
