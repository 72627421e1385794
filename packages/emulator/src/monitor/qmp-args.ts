// QAPI-style checking of a command's `arguments`: types, required members, nothing unexpected, QEMU's messages.
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

/** QEMU's QMP error classes that Unitrace answers with. */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound';

/**
 * A failed command: its QMP error class and `desc`. Thrown by handlers and checks; the session answers it. Not an
 * Error on purpose: a flood of bad requests must not pay for a stack trace each.
 */
export class QmpFailure {
  constructor(
    readonly errorClass: QmpErrorClass,
    readonly desc: string,
  ) {}
}

/** A failure of class GenericError, the class of almost every QMP error. */
export function genericError(desc: string): QmpFailure {
  return new QmpFailure('GenericError', desc);
}

/** The QAPI types our commands take. An enum list is a list of strings from a fixed set. */
export type ArgType = 'str' | 'bool' | 'int' | { readonly enumList: readonly string[] };

/** One member of a command's arguments. */
export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  readonly optional?: boolean;
}

/** Checked arguments: strings, booleans, integers (bigint, within int64) and string lists. */
export type CheckedArgs = Record<string, string | boolean | bigint | readonly string[] | undefined>;

/**
 * Checks `args` against `specs` in order, as QEMU's input visitor does: the first member of the wrong type or
 * missing wins (`Invalid parameter type for 'name', expected: string`, `Parameter 'name' is missing`), then any
 * member not in `specs` is `Parameter 'x' is unexpected`. Throws QmpFailure; never returns partial results.
 */
export function checkArgs(args: JsonObject, specs: readonly ArgSpec[]): CheckedArgs {
  const out: CheckedArgs = {};
  for (const spec of specs) {
    const value = Object.prototype.hasOwnProperty.call(args, spec.name) ? args[spec.name] : undefined;
    if (value === undefined) {
      if (!spec.optional) throw genericError(`Parameter '${spec.name}' is missing`);
      continue;
    }
    out[spec.name] = checkOne(spec.name, spec.type, value);
  }
  for (const key of Object.keys(args)) {
    if (!specs.some((spec) => spec.name === key)) throw genericError(`Parameter '${key}' is unexpected`);
  }
  return out;
}

function checkOne(name: string, type: ArgType, value: JsonValue): string | boolean | bigint | readonly string[] {
  switch (type) {
    case 'str':
      if (typeof value !== 'string') throw wrongType(name, 'string');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw wrongType(name, 'boolean');
      return value;
    case 'int':
      // Integers arrive as bigint; a double (even 1.0) or an integer beyond int64 is not an int.
      if (typeof value !== 'bigint' || value >= 1n << 63n) throw wrongType(name, 'integer');
      return value;
    default:
      if (!Array.isArray(value)) throw wrongType(name, 'array');
      return value.map((item, i) => {
        const itemName = `${name}[${i}]`;
        if (typeof item !== 'string') throw wrongType(itemName, 'string');
        if (!type.enumList.includes(item)) throw genericError(`Parameter '${itemName}' does not accept value '${item}'`);
        return item;
      });
  }
}

function wrongType(name: string, expected: string): QmpFailure {
  return genericError(`Invalid parameter type for '${name}', expected: ${expected}`);
}

/** The `arguments` member of a request: absent means none; anything but an object was rejected earlier. */
export function argumentsOf(request: JsonObject): JsonObject {
  const args = request['arguments'];
  return isJsonObject(args) ? args : (Object.create(null) as JsonObject);
}
