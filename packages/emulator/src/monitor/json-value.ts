// JSON values as QMP carries them, and QEMU's compact, ASCII-only way of writing them.

/**
 * A parsed JSON value. Integers are `bigint` (QEMU keeps int64/uint64 exactly), every other number is a
 * `number` (a double), so a command can tell `1` from `1.0` as QAPI does. Objects have no prototype.
 */
export type JsonValue = null | boolean | string | number | bigint | JsonValue[] | JsonObject;

/** A JSON object: own enumerable keys only, no prototype (a `__proto__` key is an ordinary key). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Anything `toQmpJson` accepts: JSON values plus `undefined` members, which are left out. */
export type QmpOutput = JsonValue | undefined | readonly QmpOutput[] | { readonly [key: string]: QmpOutput };

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes a value the way QEMU's QMP output does: `{"a": 1, "b": [2, 3]}` with `": "` and `", "`, strings with
 * every character outside printable ASCII escaped as `\uXXXX` (upper-case hex, surrogate pairs beyond the BMP),
 * so the wire stays one ASCII line. Non-finite numbers, which JSON cannot carry, are written as `null`. Must not be
 * given cyclic structures.
 */
export function toQmpJson(value: QmpOutput): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'string':
      return quoteQmpString(value);
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map((item: QmpOutput) => toQmpJson(item)).join(', ')}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value as { readonly [key: string]: QmpOutput })) {
    if (member !== undefined) members.push(`${quoteQmpString(key)}: ${toQmpJson(member)}`);
  }
  return `{${members.join(', ')}}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A JSON string literal with QEMU's escaping (see `toQmpJson`). */
export function quoteQmpString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    // UTF-16 code units are exactly the \u escapes JSON wants, surrogate pairs included.
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out + '"';
}
