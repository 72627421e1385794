// The code generator's targets: one row each, so adding a target is one line. Rows load their generator lazily
// and this module imports nothing at run time, so that `unitrace --help` stays fast.
import type { Catalog } from '@unitrace/core';
import type * as Codegen from '@unitrace/core/codegen';
import type * as SourcePick from './source-pick.js';

/** What a generator is given besides the catalog. */
export interface GenContext {
  /** The catalog path as given on the command line: generators show it as their origin. */
  readonly origin: string;
  /** `--source NAME`: which source a per-source target generates for (undefined: the target's default). */
  readonly source: string | undefined;
}

/** One `gen --target` value. */
export interface GenTarget {
  /** One line for `--help`. */
  readonly description: string;
  /** How the text is written: `latin1` keeps catalog bytes (one char per byte), `utf8` for everything else. */
  readonly encoding: 'utf8' | 'latin1';
  /** Generates the text. */
  generate(catalog: Catalog, ctx: GenContext): Promise<string>;
}

const codegen = (): Promise<typeof Codegen> => import('@unitrace/core/codegen');
const pick = (): Promise<typeof SourcePick> => import('./source-pick.js');

/** Every target of `unitrace gen --target`, by name, in the order `--help` lists them. */
export const GEN_TARGETS: Readonly<Record<string, GenTarget>> = {
  'host-ts': { description: 'typed TypeScript tracepoints of the host source', encoding: 'utf8', generate: async (c, x) => (await codegen()).generateHostTs((await pick()).hostSource(c, x.source), { origin: x.origin }) },
  'events-all': { description: 'the whole catalog as one QEMU trace-events file (trace-events-all)', encoding: 'latin1', generate: async (c) => (await codegen()).generateEventsAll(c) },
  'ids-json': { description: 'every event: source, wire id, local id, argument types, format (JSON)', encoding: 'utf8', generate: async (c, x) => (await codegen()).generateIdsJson(c, { origin: x.origin }) },
  'firmware-ts': { description: 'typed TypeScript trace functions of a guest source for the firmware SDK (--source NAME)', encoding: 'utf8', generate: async (c, x) => (await codegen()).generateFirmwareTs((await pick()).guestSource(c, x.source), { origin: x.origin }) },
  'c-header': { description: 'one C header of a guest source: trace functions and the batch runtime (--source NAME)', encoding: 'utf8', generate: async (c, x) => (await codegen()).generateCHeader((await pick()).guestSource(c, x.source), { origin: x.origin }) },
};
