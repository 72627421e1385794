// Test helper: reads the sink's output back as the conformance kit wants it, by parsing lines (names only).
import type { ReadBack, ReadBackRecord } from '@unitrace/core/testing';

// The prefixes of spec §6: ISO-8601 UTC with an optional 6-digit fraction, or `<tid|pid>@<sec>.<usec>:`.
const PREFIX = /^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?Z |\d+@\d+\.\d{6}:)/;
const NOTICE = /^unitrace: dropped (\d+) events?$/;
const RECORD = /^([A-Za-z0-9_]+) /;
const SGR = /\x1b\[[0-9;]*m/g;

/** One physical line, classified. */
export interface ParsedLine {
  readonly kind: 'record' | 'notice' | 'continuation';
  readonly name?: string;
  readonly count?: number;
  readonly text: string;
}

/**
 * Splits output into lines: a line is an event when, after an optional prefix, it starts with `name ` (names are
 * `[A-Za-z0-9_]+`); a notice when it is `unitrace: dropped N events`; otherwise it continues the previous event
 * (a string argument held a newline). Colour codes are removed first.
 */
export function parseLines(output: Uint8Array | string): ParsedLine[] {
  const text = (typeof output === 'string' ? output : Buffer.from(output).toString('latin1')).replace(SGR, '');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    const body = line.replace(PREFIX, '');
    const notice = NOTICE.exec(body);
    if (notice) return { kind: 'notice', count: Number(notice[1]), text: line };
    const record = RECORD.exec(body);
    if (record) return { kind: 'record', name: record[1], text: line };
    return { kind: 'continuation', text: line };
  });
}

/** The ReadBack of an output: record names in order (arguments cannot be recovered from text) and dropped counts. */
export function readBackText(output: Uint8Array | string): ReadBack {
  const records: ReadBackRecord[] = [];
  let dropped = 0;
  for (const line of parseLines(output)) {
    if (line.kind === 'record') records.push({ name: line.name! });
    else if (line.kind === 'notice') dropped += line.count!;
  }
  return { records, dropped };
}
