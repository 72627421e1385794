// Identifier hygiene for generated code: catalog names that are reserved words in the target language.

const JS_RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity')
    .split(' '),
);

const C_RESERVED = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    'bool true false _Bool')
    .split(' '),
);

/** A catalog argument name made safe as a JS/TS identifier (`in` → `in_`). */
export function jsIdentifier(name: string): string {
  return JS_RESERVED.has(name) ? `${name}_` : name;
}

/** A catalog argument name made safe as a C identifier. */
export function cIdentifier(name: string): string {
  return C_RESERVED.has(name) ? `${name}_` : name;
}
