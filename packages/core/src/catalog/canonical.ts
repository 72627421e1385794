// The canonical text of a source's events and its SHA-256: what a guest handshake compares.
import { createHash } from 'node:crypto';
import { TraceError } from '../errors.js';
import type { EventDecl } from '../events/decl.js';
import { expandFormat } from '../events/expand-format.js';
import type { SourceKind } from './catalog.js';

/** First line of every canonical form; bump the version when the form changes. */
export const CANONICAL_HEADER = 'unitrace-catalog v1';

/**
 * The canonical form of a source: `unitrace-catalog v1 <kind>`, then one line per event in id order,
 * `[disable ]name(normalizedType argName, …) "template"` (template JSON-quoted), joined with `\n`.
 * Must not depend on the source name, file paths, comments or spacing, so equal events hash equally anywhere.
 */
export function canonicalForm(events: readonly EventDecl[], kind: SourceKind): string {
  const lines = [`${CANONICAL_HEADER} ${kind}`];
  for (const e of events) {
    const args = e.args.length === 0 ? 'void' : e.args.map((a) => `${a.type.normalized} ${a.name}`).join(', ');
    const expanded = expandFormat(e.format);
    if (!expanded.ok) {
      throw new TraceError('E_FORMAT', `event '${e.name}': ${expanded.message}`, { location: e.location });
    }
    lines.push(`${e.disabled ? 'disable ' : ''}${e.name}(${args}) ${JSON.stringify(expanded.template)}`);
  }
  return lines.join('\n');
}

/**
 * Lower-case hex SHA-256 of the UTF-8 encoding of `canonicalForm(events, kind)`.
 * Must not be called per event or on a hot path; compute once per source.
 */
export function catalogHash(events: readonly EventDecl[], kind: SourceKind): string {
  return createHash('sha256').update(canonicalForm(events, kind), 'utf8').digest('hex');
}
