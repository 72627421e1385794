// User items, as QEMU's `-fw_cfg [name=]NAME,file=PATH|string=STR` adds them (spec §9.6).
import { TraceError } from '@unitrace/core';
import { FW_CFG_MAX_FILE_PATH } from './keys.js';

/** One `-fw_cfg` option: a name and exactly one content source. */
export interface FwCfgUserItem {
  readonly name: string;
  /** Host file whose bytes become the item. */
  readonly file?: string;
  /** Text stored as UTF-8 without a NUL. */
  readonly string?: string;
  /** QEMU's vmgenid generator; accepted by the parser, refused when added (this machine has no generator). */
  readonly gen_id?: string;
}

/** QEMU's warning for a user item outside `opt/`. */
export const FW_CFG_OPT_WARNING = 'externally provided fw_cfg item names should be prefixed with "opt/"';

const KEYS = new Set(['name', 'file', 'string', 'gen_id']);

/**
 * Parses the text of a `-fw_cfg` option in QemuOpts style: `key=value` pairs split on `,`, `,,` standing for a
 * literal comma, and a leading bare value meaning `name=`. Throws E_USAGE for unknown or bare parameters; does not
 * check the item (checkUserItem does).
 */
export function parseFwCfgOption(text: string): FwCfgUserItem {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ',') current += text[i];
    else if (text[i + 1] === ',') {
      current += ',';
      i++;
    } else {
      parts.push(current);
      current = '';
    }
  }
  parts.push(current);
  const values: Record<string, string> = {};
  parts.forEach((part, index) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (index === 0) values.name = part;
      else throw new TraceError('E_USAGE', `Invalid parameter '${part}'`);
      return;
    }
    const key = part.slice(0, eq);
    if (!KEYS.has(key)) throw new TraceError('E_USAGE', `Invalid parameter '${key}'`);
    values[key] = part.slice(eq + 1);
  });
  return { name: values.name ?? '', file: values.file, string: values.string, gen_id: values.gen_id };
}

/**
 * Validates a user item as QEMU's `-fw_cfg` handling does and returns its warnings (a name outside `opt/`).
 * Throws E_USAGE: no name or not exactly one non-empty source, a name over 55 characters, or `gen_id`.
 */
export function checkUserItem(item: FwCfgUserItem): string[] {
  const given = (v: string | undefined): number => (v !== undefined && v !== '' ? 1 : 0);
  if (!item.name || given(item.file) + given(item.string) + given(item.gen_id) !== 1) {
    throw new TraceError('E_USAGE', 'name, plus exactly one of file, string and gen_id, are needed');
  }
  if (new TextEncoder().encode(item.name).length > FW_CFG_MAX_FILE_PATH - 1) {
    throw new TraceError('E_USAGE', `name too long (max. ${FW_CFG_MAX_FILE_PATH - 1} char)`);
  }
  if (given(item.gen_id)) throw new TraceError('E_USAGE', 'fw_cfg gen_id items are not supported by this machine');
  return item.name.startsWith('opt/') ? [] : [FW_CFG_OPT_WARNING];
}
