// QEMU's `-trace [enable=]PATTERN[,events=FILE][,file=FILE]` option, applied to a registry.
import { readFileSync } from 'node:fs';
import { formatDiagnostic, type Registry, TraceError } from '@unitrace/core';

/** One `--trace` value split into QemuOpts keys (`,,` is a literal comma). */
export interface TraceOption {
  /** The pattern (QemuOpts' implied key). */
  readonly enable?: string;
  /** An events file: one pattern per line. */
  readonly events?: string;
  /** QEMU's trace file name; accepted and ignored by listing commands. */
  readonly file?: string;
}

/** Parses one `--trace` value. Throws TraceError('E_USAGE') for an unknown key or a key given twice. */
export function parseTraceOption(text: string): TraceOption {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && text[i + 1] === ',') {
      cur += ',';
      i++;
    } else if (text[i] === ',') {
      parts.push(cur);
      cur = '';
    } else cur += text[i];
  }
  parts.push(cur);
  const out: Record<string, string> = {};
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    // QemuOpts' implied key: a first part without `=` is the pattern.
    const key = eq < 0 && i === 0 ? 'enable' : part.slice(0, eq);
    const value = eq < 0 && i === 0 ? part : part.slice(eq + 1);
    if (eq < 0 && i > 0) throw new TraceError('E_USAGE', `--trace ${text}: '${part}' is not key=value`);
    if (key !== 'enable' && key !== 'events' && key !== 'file') throw new TraceError('E_USAGE', `--trace ${text}: unknown key '${key}' (expected enable, events or file)`);
    if (Object.hasOwn(out, key)) throw new TraceError('E_USAGE', `--trace ${text}: '${key}' given twice`);
    out[key] = value;
  });
  return out;
}

/**
 * Applies `--trace` values in order, as QEMU does: the pattern with `trace_enable_events` semantics, then the
 * events file. Warnings (no such event, not traceable) are handed to `warn` as `warning: …` lines, never thrown.
 * `help` is ignored: the caller lists events anyway. Throws E_IO when an events file cannot be read.
 */
export function applyTraceOptions(registry: Registry, values: readonly string[], warn: (message: string) => void): void {
  for (const value of values) {
    const opt = parseTraceOption(value);
    if (opt.enable !== undefined && opt.enable !== '') {
      for (const w of registry.enable(opt.enable).warnings) warn(`warning: ${w}`);
    }
    if (opt.events !== undefined) applyEventsFile(registry, opt.events, warn);
  }
}

/**
 * Applies QEMU's `-trace events=FILE` to `registry`: the file's lines as patterns, its diagnostics handed to `warn`.
 * Throws E_IO when the file cannot be read.
 */
export function applyEventsFile(registry: Registry, path: string, warn: (message: string) => void): void {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    throw new TraceError('E_IO', `cannot read events file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  for (const d of registry.applyEventsFile(text, path)) warn(formatDiagnostic(d));
}
