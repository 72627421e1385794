// A small JSON Schema (2020-12) validator for the keywords our record schema uses; unknown keywords are refused.

type Schema = boolean | { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const SUPPORTED = new Set([
  '$ref',
  'oneOf',
  'type',
  'const',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'required',
  'properties',
  'additionalProperties',
  'minProperties',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates `value` (a JSON.parse result) against `root`; returns the problems found, empty when it is valid. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  };
  const check = (schema: Schema, v: unknown, path: string, out: string[]): void => {
    if (schema === true) return;
    if (schema === false) {
      out.push(`${path}: not allowed`);
      return;
    }
    for (const key of Object.keys(schema)) {
      if (!ANNOTATIONS.has(key) && !SUPPORTED.has(key)) throw new Error(`unsupported keyword ${key} at ${path}`);
    }
    if (typeof schema.$ref === 'string') check(resolve(schema.$ref), v, path, out);
    if (Array.isArray(schema.oneOf)) {
      const passing = schema.oneOf.filter((s) => {
        const sub: string[] = [];
        check(s as Schema, v, path, sub);
        return sub.length === 0;
      }).length;
      if (passing !== 1) out.push(`${path}: matches ${passing} of oneOf, not exactly 1`);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) out.push(`${path}: ${t} is not ${types.join('|')}`);
    }
    if ('const' in schema && !deepEqual(schema.const, v)) out.push(`${path}: is not ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, v))) out.push(`${path}: not in enum`);
    if (typeof v === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) out.push(`${path}: ${JSON.stringify(v)} does not match ${schema.pattern}`);
      if (typeof schema.minLength === 'number' && [...v].length < schema.minLength) out.push(`${path}: shorter than ${schema.minLength}`);
    }
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) out.push(`${path}: below ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) out.push(`${path}: above ${schema.maximum}`);
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      if (Array.isArray(schema.required)) for (const r of schema.required) if (!keys.includes(r as string)) out.push(`${path}: missing ${String(r)}`);
      if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) out.push(`${path}: fewer than ${schema.minProperties} properties`);
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const k of keys) {
        if (Object.hasOwn(props, k)) check(props[k], obj[k], `${path}.${k}`, out);
        else if (schema.additionalProperties !== undefined) check(schema.additionalProperties as Schema, obj[k], `${path}.${k}`, out);
      }
    }
  };
  check(root, value, '$', errors);
  return errors;
}
