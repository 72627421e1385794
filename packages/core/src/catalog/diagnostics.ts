// GCC-style text of catalog diagnostics, include chain first.
import { formatLocation, type SourceLocation, TraceError } from '../errors.js';
import type { Diagnostic } from '../events/decl.js';

const FROM_INDENT = ' '.repeat('In file included'.length + 1);

/**
 * Renders one diagnostic as GCC does: `In file included from root:3:1,` / `                 from mid:2:1:` lines for
 * its include chain, then `file:line:col: error: message`. No trailing newline. Must not add colour or a stack.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const lines: string[] = [];
  const chain = d.includeChain ?? [];
  chain.forEach((loc, i) => {
    const lead = i === 0 ? 'In file included from ' : `${FROM_INDENT}from `;
    lines.push(`${lead}${place(loc)}${i === chain.length - 1 ? ':' : ','}`);
  });
  lines.push(`${formatLocation(d.location)}${d.severity}: ${d.message}`);
  return lines.join('\n');
}

function place(loc: SourceLocation): string {
  return formatLocation(loc).replace(/: $/, '');
}

/** A TraceError for a catalog that has errors: the first one rendered `file:line:col: message`, and a count. */
export function catalogError(diagnostics: readonly Diagnostic[]): TraceError | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first === undefined) return undefined;
  const more = errors.length - 1;
  const message = `${formatLocation(first.location)}${first.message}${more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'})` : ''}`;
  const code = first.code.startsWith('W_') ? 'E_PARSE' : (first.code as TraceError['code']);
  const err = new TraceError(code, message);
  // TraceError's contract has no slot for the full list; tools read it back through `diagnosticsOf`.
  Object.defineProperty(err, 'diagnostics', { value: diagnostics, enumerable: false });
  return err;
}

/** The diagnostics carried by an error thrown by `loadCatalog`, or undefined for any other error. */
export function diagnosticsOf(err: unknown): readonly Diagnostic[] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const value = (err as { diagnostics?: unknown }).diagnostics;
  return Array.isArray(value) ? (value as readonly Diagnostic[]) : undefined;
}
