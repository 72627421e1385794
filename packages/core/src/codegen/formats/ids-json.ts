// ids-json: every event of a catalog with its source, wire id, local id, typed arguments and format, as JSON.
import type { Catalog, CatalogSource } from '../../catalog/catalog.js';
import type { ArgDecl, EventDecl } from '../../events/decl.js';

/** Options of the ids-json generator. */
export interface IdsJsonOptions {
  /** Shown as `origin`: what the JSON was generated from (left out when not given). */
  readonly origin?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Catalog text is latin1 (one char per byte). A format that is valid UTF-8 is shown as the text it spells; any
 * other keeps one char per byte, so nothing is lost either way.
 */
function textOf(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  try {
    return utf8.decode(Uint8Array.from(latin1, (c) => c.charCodeAt(0)));
  } catch {
    return latin1;
  }
}

function sourceJson(source: CatalogSource): object {
  return {
    name: source.name,
    kind: source.kind,
    base: source.base.toString(10),
    baseHex: `0x${source.base.toString(16)}`,
    pinned: source.pinned,
    events: source.events.length,
    hash: source.hash,
  };
}

function argJson(arg: ArgDecl): object {
  return { name: arg.name, type: arg.type.text, kind: arg.type.kind, bits: arg.type.bits, signed: arg.type.signed };
}

function eventJson(source: CatalogSource, event: EventDecl, local: number): object {
  const id = source.base + BigInt(local);
  return {
    source: source.name,
    name: event.name,
    id: id.toString(10),
    idHex: `0x${id.toString(16)}`,
    local,
    disabled: event.disabled,
    args: event.args.map(argJson),
    format: textOf(event.format),
  };
}

/**
 * Generates a JSON document listing every source and every event of the catalog in id order: wire ids as decimal
 * strings and hex (u64 does not fit a JSON number), local ids, argument types (`text`, `kind`, `bits`, `signed`)
 * and the raw format. Keys come in a fixed order; the text is ASCII only (other characters as `\uXXXX`) and ends
 * with a newline. Must not be fed a catalog with errors. Pure: same catalog, same text.
 */
export function generateIdsJson(catalog: Catalog, options: IdsJsonOptions = {}): string {
  const doc = {
    generator: 'unitrace gen --target ids-json',
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    sources: catalog.sources.map(sourceJson),
    events: catalog.sources.flatMap((s) => s.events.map((e, i) => eventJson(s, e, i))),
  };
  const text = JSON.stringify(doc, null, 2).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}
