// Test helper: lists the conversion specs of a printf template with a regex, independently of parse-format.ts.

const SPEC = /%(?:%|[-0# +]*(?:\*|\d+)?(?:\.(?:\*|\d*))?(?:hh|h|ll|l|z|t|j|L|q)?[diuoxXcsp])/g;

/** Every spec of `template` as written, `%%` included, in order. */
export function specTexts(template: string): string[] {
  return template.match(SPEC) ?? [];
}
