// The demo kernel image: kernel.s assembled at its load address with the trace constants of the kernel's catalog.
import { readFileSync } from 'node:fs';
import { type CatalogSource, TraceError } from '@unitrace/core';
import { type AssembledImage, assemble } from '@unitrace/firmware-sdk';

/** Where the demo kernel is linked and loaded (fw_cfg KERNEL_ADDR): 1 MiB, as x86 kernels are. */
export const KERNEL_LOAD_ADDRESS = 0x0010_0000;

/**
 * The symbols a UT32 kernel gets from its catalog source: one per event, its name in upper case, equal to its
 * local id (`kernel_timer` → KERNEL_TIMER), TRACE_EVENT_COUNT, and TRACE_HASH_0..7, the source's SHA-256 as eight
 * little-endian words (the handshake block's hash field, byte for byte).
 */
export function kernelDefines(source: CatalogSource): Record<string, number> {
  const defines: Record<string, number> = { TRACE_EVENT_COUNT: source.events.length };
  source.events.forEach((event, local) => {
    defines[event.name.toUpperCase()] = local;
  });
  for (let k = 0; k < 8; k++) {
    const bytes = source.hash.slice(8 * k, 8 * k + 8).match(/../g) ?? [];
    defines[`TRACE_HASH_${k}`] = bytes.reduceRight((word, pair) => word * 256 + parseInt(pair, 16), 0);
  }
  return defines;
}

/**
 * Assembles the kernel source at `file` for `source` (the catalog's guest source the kernel traces as). Throws
 * the assembler's located TraceError (E_PARSE) or E_IO when the file cannot be read.
 */
export function buildKernel(file: string, source: CatalogSource, origin: number = KERNEL_LOAD_ADDRESS): AssembledImage {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (err) {
    throw new TraceError('E_IO', `cannot read the kernel source ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return assemble(text, { origin, file, defines: kernelDefines(source) });
}
