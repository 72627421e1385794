// Test helper: the ArgType of a C type spelled as in a catalog, resolved for LP64 x86-64 by hand (not by core).
import type { ArgDecl, ArgType, EventDecl } from '../../src/events/decl.js';

const SCALARS: Record<string, { bits: 8 | 16 | 32 | 64; signed: boolean; isBool?: boolean }> = {
  bool: { bits: 8, signed: false, isBool: true },
  char: { bits: 8, signed: true },
  'signed char': { bits: 8, signed: true },
  'unsigned char': { bits: 8, signed: false },
  short: { bits: 16, signed: true },
  'short int': { bits: 16, signed: true },
  'unsigned short': { bits: 16, signed: false },
  int: { bits: 32, signed: true },
  signed: { bits: 32, signed: true },
  unsigned: { bits: 32, signed: false },
  'unsigned int': { bits: 32, signed: false },
  long: { bits: 64, signed: true },
  'long int': { bits: 64, signed: true },
  'unsigned long': { bits: 64, signed: false },
  'long unsigned int': { bits: 64, signed: false },
  'long long': { bits: 64, signed: true },
  'unsigned long long': { bits: 64, signed: false },
  int8_t: { bits: 8, signed: true },
  uint8_t: { bits: 8, signed: false },
  int16_t: { bits: 16, signed: true },
  uint16_t: { bits: 16, signed: false },
  int32_t: { bits: 32, signed: true },
  uint32_t: { bits: 32, signed: false },
  int64_t: { bits: 64, signed: true },
  uint64_t: { bits: 64, signed: false },
  size_t: { bits: 64, signed: false },
  ssize_t: { bits: 64, signed: true },
  uintptr_t: { bits: 64, signed: false },
  ptrdiff_t: { bits: 64, signed: true },
};

/** The ArgType of `text` (e.g. `const char *`, `uint8_t`, `char **`). Throws on a type the table does not know. */
export function cType(text: string): ArgType {
  const normalized = text.replace(/\s*\*/g, ' *').replace(/\*\s+\*/g, '**').replace(/\s+/g, ' ').trim();
  const stars = (text.match(/\*/g) ?? []).length;
  const base = text.replace(/\*/g, ' ').replace(/\bconst\b/g, ' ').replace(/\s+/g, ' ').trim();
  if (stars > 0) {
    const kind = stars === 1 && base === 'char' ? 'string' : 'pointer';
    return { text, normalized, kind, bits: 64, signed: false, isBool: false };
  }
  const s = SCALARS[base];
  if (!s) throw new Error(`unknown C type '${text}'`);
  return { text, normalized, kind: 'int', bits: s.bits, signed: s.signed, isBool: s.isBool ?? false };
}

/** An EventDecl built by hand from C type texts; argument names are a0, a1, … */
export function makeDecl(name: string, types: readonly string[], format = ''): EventDecl {
  const args: ArgDecl[] = types.map((t, i) => ({ name: `a${i}`, type: cType(t) }));
  return { name, args, format, properties: [], disabled: false, location: { file: 'test', line: 1, column: 1 } };
}
