// `unitrace run --trace`: QEMU's -trace options applied in order (spec §4.1), and the default event set.
import type { Registry } from '@unitrace/core';
import { applyEventsFile, parseTraceOption } from '../commands/trace-option.js';

/**
 * What `unitrace run` enables when no `--trace` is given: everything but the per-access bus and fw_cfg byte events,
 * which would bury the story (one line per byte of every fw_cfg read), and fw_cfg_add_* lines that repeat what
 * fw_cfg_add_file and the firmware's own events say.
 */
export const DEFAULT_TRACE: readonly string[] = [
  '*',
  '-io_read',
  '-io_write',
  '-mmio_read',
  '-mmio_write',
  '-fw_cfg_read',
  '-fw_cfg_add_bytes',
  '-fw_cfg_add_i16',
  '-fw_cfg_add_i32',
  '-fw_cfg_add_i64',
  '-fw_cfg_add_string',
];

/** The outcome of the `--trace` options. */
export interface RunTraceResult {
  /** True when a pattern was `help` or `?`: the event names were listed and the command must exit 0. */
  readonly help: boolean;
  /** QEMU's trace file name: the `file=` of the last `--trace`, undefined when that one had none. */
  readonly file: string | undefined;
}

/**
 * Applies `--trace` values in order as QEMU does: the pattern (QEMU's trace_enable_events: `-` negates, warnings
 * not errors), then `events=FILE`, then `file=` unconditionally (a later `--trace` without it resets it). A `help`
 * pattern lists every event name with `list` and stops there, as QEMU exits at that point. Throws TraceError
 * E_USAGE for a malformed value and E_IO for an events file that cannot be read.
 */
export function applyRunTrace(
  registry: Registry,
  values: readonly string[],
  warn: (line: string) => void,
  list: (line: string) => void,
): RunTraceResult {
  let file: string | undefined;
  for (const value of values) {
    const opt = parseTraceOption(value);
    if (opt.enable !== undefined && opt.enable !== '') {
      const result = registry.enable(opt.enable);
      if (result.help) {
        for (let i = 0; i < registry.size; i++) list(registry.event(i).decl.name);
        return { help: true, file };
      }
      for (const w of result.warnings) warn(`warning: ${w}`);
    }
    if (opt.events !== undefined) applyEventsFile(registry, opt.events, warn);
    file = opt.file === '' ? undefined : opt.file;
  }
  return { help: false, file };
}

/** Enables the default event set (DEFAULT_TRACE) on a registry. */
export function applyDefaultTrace(registry: Registry): void {
  for (const pattern of DEFAULT_TRACE) registry.enable(pattern);
}
