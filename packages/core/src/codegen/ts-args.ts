// What the two TypeScript generators (host-ts, firmware-ts) share: an argument's parameter type, and the writer call
// that stores it converted to its C type. Their writers (core's BatchWriter, the firmware SDK's record encoder) have
// the same put* methods, so only the names of the writer and offset variables differ.
import type { ArgDecl } from '../events/decl.js';

/** The TypeScript parameter type a generated trace function takes for `arg`. */
export function tsParamType(arg: ArgDecl): string {
  const t = arg.type;
  if (t.kind === 'string') return 'string | null | undefined';
  if (t.kind === 'pointer') return 'number | bigint | null';
  if (t.isBool) return 'boolean | number';
  return t.bits === 64 ? 'number | bigint' : 'number';
}

/**
 * The expression that stores argument `v` at offset variable `o` through writer variable `w` (its value is the next
 * offset), converting the value to its C type first as C does; `strLen` names the string's byte count. Must only
 * be given identifiers the generated code declares: it pastes them as they are.
 */
export function tsStoreArg(arg: ArgDecl, v: string, strLen: string, w: string, o: string): string {
  const t = arg.type;
  if (t.kind === 'string') return `${w}.putString(${o}, ${v}, ${strLen})`;
  if (t.kind === 'pointer') return `typeof ${v} === 'number' ? ${w}.putNumber(${o}, ${v}) : ${w}.putBigInt(${o}, ${v} ?? 0n)`;
  if (t.isBool) return `${w}.putWords(${o}, ${v} ? 1 : 0, 0)`;
  switch (t.bits) {
    case 8:
      return t.signed ? `${w}.putInt(${o}, (${v} << 24) >> 24)` : `${w}.putWords(${o}, ${v} & 0xff, 0)`;
    case 16:
      return t.signed ? `${w}.putInt(${o}, (${v} << 16) >> 16)` : `${w}.putWords(${o}, ${v} & 0xffff, 0)`;
    case 32:
      return t.signed ? `${w}.putInt(${o}, ${v})` : `${w}.putWords(${o}, ${v} >>> 0, 0)`;
    default:
      return `typeof ${v} === 'number' ? ${w}.putNumber(${o}, ${v}) : ${w}.putBigInt(${o}, ${v})`;
  }
}
