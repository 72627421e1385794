// Hand-built sources for tests: C types resolved by hand (LP64 glibc, signed char), independent of core's parser.
import type { ArgType, EventDecl, SourceInfo } from '@unitrace/core';

type Shape = Pick<ArgType, 'kind' | 'bits' | 'signed' | 'isBool'>;
const int = (bits: 8 | 16 | 32 | 64, signed: boolean): Shape => ({ kind: 'int', bits, signed, isBool: false });

/** Every C spelling of the corpus that we test, with what it means on x86-64 Linux. */
export const C_TYPES: Readonly<Record<string, Shape>> = {
  int8_t: int(8, true),
  uint8_t: int(8, false),
  int16_t: int(16, true),
  uint16_t: int(16, false),
  int32_t: int(32, true),
  uint32_t: int(32, false),
  int64_t: int(64, true),
  uint64_t: int(64, false),
  int: int(32, true),
  unsigned: int(32, false),
  'unsigned int': int(32, false),
  long: int(64, true),
  'unsigned long': int(64, false),
  'long unsigned int': int(64, false),
  'unsigned long long': int(64, false),
  size_t: int(64, false),
  ssize_t: int(64, true),
  uintptr_t: int(64, false),
  char: int(8, true),
  'unsigned char': int(8, false),
  short: int(16, true),
  'unsigned short': int(16, false),
  bool: { kind: 'int', bits: 8, signed: false, isBool: true },
  'void *': { kind: 'pointer', bits: 64, signed: false, isBool: false },
  'const void *': { kind: 'pointer', bits: 64, signed: false, isBool: false },
  'uint64_t *': { kind: 'pointer', bits: 64, signed: false, isBool: false },
  'char **': { kind: 'pointer', bits: 64, signed: false, isBool: false },
  'const char *': { kind: 'string', bits: 64, signed: false, isBool: false },
  'char *': { kind: 'string', bits: 64, signed: false, isBool: false },
};

/** An event from `name(type a, type b)` pairs. */
export function decl(name: string, args: ReadonlyArray<readonly [string, string]>): EventDecl {
  return {
    name,
    args: args.map(([type, argName]) => {
      const shape = C_TYPES[type];
      if (shape === undefined) throw new Error(`no such test type ${type}`);
      return { name: argName, type: { text: type, normalized: type, ...shape } };
    }),
    format: '""',
    properties: [],
    disabled: false,
    location: { file: 'test/trace-events', line: 1, column: 1 },
  };
}

/** A source as the registry would describe it. */
export function source(
  name: string,
  kind: 'host' | 'guest',
  base: bigint,
  first: number,
  index: number,
  events: readonly EventDecl[],
): SourceInfo {
  return {
    name,
    kind,
    guestIndex: kind === 'host' ? -1 : index - 1,
    base,
    pinned: false,
    events,
    file: `test/${name}/trace-events`,
    hash: '0'.repeat(64),
    first,
    index,
  };
}
