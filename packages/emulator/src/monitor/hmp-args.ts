// HMP argument parsing as QEMU's monitor does it: an args_type string per command, words or quoted strings.

/** One parameter of an HMP command: `name:type` with QEMU's type letters, `?` for optional. */
export interface HmpParam {
  readonly name: string;
  /** s: word or quoted string; F: file name (same syntax); S: rest of the line; b: on|off; i: integer. */
  readonly type: 's' | 'F' | 'S' | 'b' | 'i';
  readonly optional: boolean;
}

/** Parsed arguments by parameter name; absent optional parameters are undefined. */
export type HmpArgs = Record<string, string | boolean | bigint | undefined>;

/** Parses an args_type string such as `name:s,option:b,vcpu:i?`. Must only be given the command tables' text. */
export function parseArgsType(argsType: string): HmpParam[] {
  if (argsType === '') return [];
  return argsType.split(',').map((part) => {
    const [name, spec] = part.split(':') as [string, string];
    return { name, type: spec[0] as HmpParam['type'], optional: spec.endsWith('?') };
  });
}

/** A QEMU isspace(): space, \t, \n, \v, \f, \r. */
export function isHmpSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** Where a word or quoted string read from `pos` ends, and its value; `error` lines are printed as they are. */
interface ReadResult {
  readonly value?: string;
  readonly pos: number;
  readonly error?: string;
}

/**
 * Reads one argument string (QEMU's get_str): a run of non-space characters, or a double-quoted string with the
 * escapes \n \r \\ \' \". Fails on an empty rest, an unknown escape or a missing closing quote.
 */
export function readString(line: string, from: number): ReadResult {
  let p = skipSpace(line, from);
  if (p >= line.length) return { pos: p };
  if (line[p] !== '"') {
    const start = p;
    while (p < line.length && !isHmpSpace(line[p])) p++;
    return { value: line.slice(start, p), pos: p };
  }
  p++;
  let value = '';
  while (p < line.length && line[p] !== '"') {
    let ch = line[p++]!;
    if (ch === '\\') {
      if (p >= line.length) break;
      const escape = line[p++]!;
      if (escape === 'n') ch = '\n';
      else if (escape === 'r') ch = '\r';
      else if (escape === '\\' || escape === "'" || escape === '"') ch = escape;
      else return { pos: p, error: `unsupported escape code: '\\${escape}'` };
    }
    value += ch;
  }
  if (p >= line.length) return { pos: p, error: 'unterminated string' };
  return { value, pos: p + 1 };
}

/** The index of the first non-space character at or after `from`. */
export function skipSpace(line: string, from: number): number {
  let p = from;
  while (p < line.length && isHmpSpace(line[p])) p++;
  return p;
}

/** The outcome of parsing a command's arguments: the values, or the lines QEMU prints for the failure. */
export type HmpParseResult = { readonly ok: true; readonly args: HmpArgs } | { readonly ok: false; readonly message: string };

/**
 * Parses the arguments of command `tableName` (its name as the table spells it, `cont|c`, which is what QEMU's
 * messages show) from `line[from..]`. On failure returns the text QEMU prints before its `Try "help …"` line.
 */
export function parseHmpArgs(tableName: string, params: readonly HmpParam[], line: string, from: number): HmpParseResult {
  const args: HmpArgs = {};
  let p = from;
  for (const param of params) {
    p = skipSpace(line, p);
    if (param.optional && p >= line.length) continue;
    switch (param.type) {
      case 's':
      case 'F': {
        const read = readString(line, p);
        if (read.value === undefined) {
          const what = param.type === 'F' ? 'filename' : 'string';
          return fail(`${read.error ? `${read.error}\n` : ''}${tableName}: ${what} expected\n`);
        }
        args[param.name] = read.value;
        p = read.pos;
        break;
      }
      case 'S': {
        if (p >= line.length) return fail(`${tableName}: string expected\n`);
        args[param.name] = line.slice(p);
        p = line.length;
        break;
      }
      case 'b': {
        const start = p;
        while (p < line.length && !isHmpSpace(line[p])) p++;
        const word = line.slice(start, p);
        if (word !== 'on' && word !== 'off') return fail("Expected 'on' or 'off'\n");
        args[param.name] = word === 'on';
        break;
      }
      case 'i': {
        if (p >= line.length) return fail('unexpected end of expression\n');
        const start = p;
        while (p < line.length && !isHmpSpace(line[p])) p++;
        const value = parseInteger(line.slice(start, p));
        if (value === undefined) return fail('invalid char in expression\n');
        args[param.name] = value;
        break;
      }
    }
  }
  if (skipSpace(line, p) < line.length) return fail(`${tableName}: extraneous characters at the end of line\n`);
  return { ok: true, args };
}

function fail(message: string): HmpParseResult {
  return { ok: false, message };
}

/** A decimal or 0x-hex integer, optionally negative; undefined for anything else (QEMU also takes expressions). */
function parseInteger(text: string): bigint | undefined {
  const match = /^(-?)(0[xX][0-9a-fA-F]+|[0-9]+)$/.exec(text);
  if (!match) return undefined;
  const magnitude = BigInt(match[2]!);
  return match[1] ? -magnitude : magnitude;
}
