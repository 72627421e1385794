// `unitrace gen`: generated code and data from a catalog, through the target table.
import { writeFileSync } from 'node:fs';
import { loadCatalog, TraceError } from '@unitrace/core';
import { GEN_TARGETS } from './gen-targets.js';

/** Options of `unitrace gen`. */
export interface GenOptions {
  /** A key of GEN_TARGETS. */
  readonly target: string;
  /** Output path; stdout when absent or `-`. */
  readonly output?: string;
  /** `--source NAME` for per-source targets. */
  readonly source?: string;
}

/**
 * Generates `options.target` from the catalog at `catalogPath` and writes it to `options.output` (stdout when
 * absent or `-`). Throws TraceError: E_USAGE for an unknown target, the catalog's first error, E_IO on write.
 */
export async function runGen(catalogPath: string, options: GenOptions): Promise<number> {
  const target = Object.hasOwn(GEN_TARGETS, options.target) ? GEN_TARGETS[options.target] : undefined;
  if (target === undefined) {
    throw new TraceError('E_USAGE', `unknown target '${options.target}' (expected ${Object.keys(GEN_TARGETS).join(', ')})`);
  }
  const catalog = loadCatalog(catalogPath);
  const text = await target.generate(catalog, { origin: catalogPath, source: options.source });
  const bytes = Buffer.from(text, target.encoding);
  if (options.output === undefined || options.output === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())));
    return 0;
  }
  try {
    writeFileSync(options.output, bytes);
  } catch (err) {
    throw new TraceError('E_IO', `cannot write ${options.output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return 0;
}
