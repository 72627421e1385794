// trace-events text → events, include directives and every diagnostic, with QEMU tracetool's grammar (spec §2.2).
import type { TraceErrorCode } from '../errors.js';
import type { Diagnostic, DiagnosticWarningCode, EventDecl, IncludeDirective, ParseResult } from './decl.js';
import { expandFormat } from './expand-format.js';
import { parseArgList } from './parse-args.js';
import { isIncludeLine, parseIncludeLine } from './parse-include.js';
import { quoteText } from './quote-text.js';

const SPACE_CLASS = '[ \\t\\n\\r\\f\\v]';
// tracetool's pattern, anchored at the start only: [props whitespace] name ( args ) — the rest is read by hand.
const EVENT_HEAD = new RegExp(`^(?:([A-Za-z0-9_ \\t\\n\\r\\f\\v]+)${SPACE_CLASS}+)?([A-Za-z0-9_]+)\\(([^)]*)\\)`, 'd');
const SPACE = /[ \t\n\r\f\v]/;
const VALID_PROPERTIES: ReadonlySet<string> = new Set(['disable']);
const REMOVED_PROPERTIES: Readonly<Record<string, string>> = { vcpu: 'removed in QEMU 9.1', tcg: 'removed in QEMU 7.0' };

/**
 * Parses one trace-events file. Each char of `text` stands for one byte (read files as latin1). Reports every
 * diagnostic of the file and keeps going after errors; `events` holds only the lines that parsed without error.
 * Must not read other files: `includes` are returned for the catalog loader to resolve.
 */
export function parseTraceEvents(text: string, file: string): ParseResult {
  const events: EventDecl[] = [];
  const includes: IncludeDirective[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  const terminated = lines[lines.length - 1] === '';
  if (terminated) lines.pop();

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const report = (severity: Diagnostic['severity'], code: TraceErrorCode | DiagnosticWarningCode, message: string, at: number): void => {
      diagnostics.push({ severity, code, message, location: { file, line: lineNo, column: at + 1 } });
    };
    const wide = /[^\x00-\xff]/.exec(line);
    if (wide) {
      report('error', 'E_PARSE', `character U+${wide[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is not a byte`, wide.index);
      return;
    }
    const first = firstNonSpace(line);
    if (first < 0 || line[first] === '#') return;
    if (isIncludeLine(line)) {
      const result = parseIncludeLine(line, { file, line: lineNo, eventsBefore: events.length });
      if ('severity' in result) diagnostics.push(result);
      else includes.push(result);
      return;
    }
    const before = diagnostics.length;
    const event = parseEventLine(line, file, lineNo, report);
    const clean = diagnostics.slice(before).every((d) => d.severity !== 'error');
    if (event && clean) events.push(event);
  });

  if (!terminated) {
    const last = lines[lines.length - 1]!;
    diagnostics.push({
      severity: 'error',
      code: 'E_PARSE',
      message: 'file does not end with a new line',
      location: { file, line: lines.length, column: last.length + 1 },
    });
  }
  return { events, diagnostics, includes };
}

type Report = (severity: Diagnostic['severity'], code: TraceErrorCode | DiagnosticWarningCode, message: string, at: number) => void;

function parseEventLine(line: string, file: string, lineNo: number, report: Report): EventDecl | undefined {
  const m = EVENT_HEAD.exec(line);
  if (!m) {
    const why = explainMismatch(line);
    report('error', 'E_PARSE', why.message, why.at);
    return undefined;
  }
  const [propsAt] = m.indices![1] ?? [0];
  const [nameAt] = m.indices![2]!;
  const [argsAt] = m.indices![3]!;
  const name = m[2]!;

  const properties: string[] = [];
  for (const p of (m[1] ?? '').matchAll(/[^ \t\n\r\f\v]+/g)) {
    const word = p[0];
    properties.push(word);
    if (!VALID_PROPERTIES.has(word)) {
      const removed = REMOVED_PROPERTIES[word];
      report('error', 'E_PARSE', `unknown property ${quoteText(word)}${removed ? ` (${removed})` : ''}: only 'disable' is valid`, propsAt + p.index);
    }
  }

  const { args, problems } = parseArgList(m[3]!);
  for (const p of problems) report('error', p.code, p.message, argsAt + p.offset);

  const format = readFormat(line, m[0].length, report);
  checkFormat(format.text, format.at, report);

  return {
    name,
    args,
    format: format.text,
    properties,
    disabled: properties.includes('disable'),
    location: { file, line: lineNo, column: nameAt + 1 },
  };
}

// After `)`: optional spaces, then the format runs from the first `"` to the end of the line, verbatim.
function readFormat(line: string, afterParen: number, report: Report): { text: string; at: number } {
  let i = afterParen;
  while (i < line.length && SPACE.test(line[i]!)) i++;
  if (i === line.length) return { text: '', at: i };
  if (line[i] === '"') return { text: line.slice(i), at: i };
  report('warning', 'W_IGNORED_TEXT', `text after ')' does not start with '"' and is ignored by QEMU; the event has no format`, i);
  return { text: '', at: i };
}

// QEMU's three format rules on the raw text (spec §2.2 item 6), then tracetool's tokenizer (spec §2.3).
function checkFormat(format: string, at: number, report: Report): void {
  if (format === '') return;
  const percentM = format.indexOf('%m');
  if (percentM >= 0) {
    report('error', 'E_FORMAT', "format '%m' is forbidden: pass the error as an explicit trace argument", at + percentM);
  }
  if (format.endsWith('\\n"')) {
    report('error', 'E_FORMAT', 'format must not end with a newline character', at + format.length - 3);
  } else if (format.includes('\\n')) {
    report('error', 'E_FORMAT', 'format must not use the new line character', at + format.indexOf('\\n'));
  }
  const expanded = expandFormat(format);
  if (!expanded.ok) report('error', 'E_FORMAT', expanded.message, at + expanded.column - 1);
}

// The pattern failed: find the likeliest reason and where it is, since QEMU only asserts.
function explainMismatch(line: string): { message: string; at: number } {
  const start = firstNonSpace(line);
  const open = line.indexOf('(');
  if (open < 0) return { message: "expected an event declaration 'name(type arg, ...) \"format\"' (no '(' found)", at: start };
  if (line.indexOf(')', open) < 0) return { message: "the argument list is not closed with ')'", at: open };
  if (open > 0 && SPACE.test(line[open - 1]!)) {
    return { message: "no space is allowed between the event name and '('", at: open - 1 };
  }
  if (open === 0) return { message: "the event name is missing before '('", at: 0 };
  for (let i = 0; i < open; i++) {
    if (!/[A-Za-z0-9_ \t\n\r\f\v]/.test(line[i]!)) {
      return { message: `unexpected ${quoteText(line[i]!)} before the argument list (event names are [A-Za-z0-9_]+)`, at: i };
    }
  }
  return { message: 'exactly one whitespace character before the name is not accepted by QEMU; indent by two or more, or not at all', at: 0 };
}

function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i++) if (!SPACE.test(line[i]!)) return i;
  return -1;
}
