// One call from an event declaration to a renderable format: expand the raw catalog format, then bind it.
import type { EventDecl } from '../events/decl.js';
import { expandFormat } from '../events/expand-format.js';
import { CompiledFormat, compileFormat } from './compile-format.js';
import { FormatOp, OP_LITERAL, templateBytes } from './format-op.js';

/**
 * Compiles `decl.format` as written in the catalog (quotes, PRI macros, C escapes) for rendering. Never throws: a
 * raw format that does not tokenise gives an E_FORMAT diagnostic and renders its raw text verbatim, so a sink
 * still prints something a human can match to the catalog line.
 */
export function compileEventFormat(decl: EventDecl): CompiledFormat {
  const expanded = expandFormat(decl.format);
  if (expanded.ok) return compileFormat(decl, expanded.template);
  const raw = new FormatOp();
  raw.kind = OP_LITERAL;
  raw.bytes = templateBytes(decl.format);
  return new CompiledFormat(decl, decl.format, [raw], [
    {
      severity: 'error',
      code: 'E_FORMAT',
      message: `raw format column ${expanded.column}: ${expanded.message}`,
      location: decl.location,
    },
  ]);
}
