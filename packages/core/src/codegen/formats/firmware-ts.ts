// firmware-ts: typed TypeScript trace functions for a guest source, over the firmware SDK's tracer. A disabled event
// costs one load of the state page, a bit test and a branch; an enabled one encodes straight into guest RAM.
import type { CatalogSource } from '../../catalog/catalog.js';
import type { ArgDecl, EventDecl } from '../../events/decl.js';
import { type Emitter, createEmitter } from '../emitter.js';
import { jsIdentifier } from '../names.js';

/** Options of the firmware-ts generator. */
export interface FirmwareTsOptions {
  /** Module the generated code imports the SDK's types from (default `@unitrace/firmware-sdk`). */
  readonly sdkModule?: string;
  /** Shown in the header: what the code was generated from. */
  readonly origin?: string;
}

function paramType(arg: ArgDecl): string {
  const t = arg.type;
  if (t.kind === 'string') return 'string | null | undefined';
  if (t.kind === 'pointer') return 'number | bigint | null';
  if (t.isBool) return 'boolean | number';
  return t.bits === 64 ? 'number | bigint' : 'number';
}

/** The expression storing argument `v` at `o` (giving the next offset), converted to its C type as QEMU stores it. */
function storeArg(arg: ArgDecl, v: string, strLen: string): string {
  const t = arg.type;
  if (t.kind === 'string') return `t.putString(o, ${v}, ${strLen})`;
  if (t.kind === 'pointer') return `typeof ${v} === 'number' ? t.putNumber(o, ${v}) : t.putBigInt(o, ${v} ?? 0n)`;
  if (t.isBool) return `t.putWords(o, ${v} ? 1 : 0, 0)`;
  switch (t.bits) {
    case 8:
      return t.signed ? `t.putNumber(o, (${v} << 24) >> 24)` : `t.putWords(o, ${v} & 0xff, 0)`;
    case 16:
      return t.signed ? `t.putNumber(o, (${v} << 16) >> 16)` : `t.putWords(o, ${v} & 0xffff, 0)`;
    case 32:
      return t.signed ? `t.putNumber(o, ${v} | 0)` : `t.putWords(o, ${v} >>> 0, 0)`;
    default:
      return `typeof ${v} === 'number' ? t.putNumber(o, ${v}) : t.putBigInt(o, ${v})`;
  }
}

/** A store as statements; the last one's offset is not kept. */
function storeLines(expression: string, last: boolean): string[] {
  if (!last) return [`o = ${expression};`];
  const ternary = /^typeof (\w+) === 'number' \? (.+) : (.+)$/.exec(expression);
  return ternary ? [`if (typeof ${ternary[1]} === 'number') ${ternary[2]};`, `else ${ternary[3]};`] : [`${expression};`];
}

/** Names the generated code uses itself (`t`, `S`, `P`, `o`, `n0`..`n9`): an argument so named gets a `_` suffix. */
const INTERNAL = new Set(['t', 'S', 'P', 'o', ...Array.from({ length: 10 }, (_, i) => `n${i}`)]);

/** The parameter names of an event's function: safe identifiers that never shadow the generated code's own names. */
export function paramNames(ev: EventDecl, safe: (name: string) => string, internal: ReadonlySet<string>): string[] {
  return ev.args.map((a) => {
    let id = safe(a.name);
    while (internal.has(id)) id += '_';
    return id;
  });
}

/** `name(type, type)` with normalised types, or `name(void)`: what the host maps names and types by. */
export function eventSignature(ev: EventDecl): string {
  return `${ev.name}(${ev.args.length === 0 ? 'void' : ev.args.map((a) => a.type.normalized).join(', ')})`;
}

/** One letter per argument: `s` for a string, `w` for an 8-byte word. */
export function argKinds(ev: EventDecl): string {
  return ev.args.map((a) => (a.type.kind === 'string' ? 's' : 'w')).join('');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Catalog text (one char per byte, as the loader reads files) as the Unicode text its bytes spell, when they are UTF-8. */
function catalogText(text: string): string {
  if (!/[\x80-\xff]/.test(text)) return text;
  try {
    return utf8.decode(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff));
  } catch {
    return text;
  }
}

/** The declaration as a comment line (`*\/` defused), for generated code. */
export function declComment(ev: EventDecl): string {
  const args = ev.args.length === 0 ? 'void' : ev.args.map((a) => `${a.type.text} ${a.name}`).join(', ');
  const text = `${ev.disabled ? 'disable ' : ''}${ev.name}(${args})${ev.format ? ` ${catalogText(ev.format)}` : ''}`;
  return text.replace(/\*\//g, '*\\/');
}

/** A single-quoted TS string literal. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function stateTest(local: number): string {
  const byte = local >>> 3;
  const mask = `0x${(1 << (local & 7)).toString(16)}`;
  return `if ((S[${byte === 0 ? 'P' : `P + ${byte}`}] & ${mask}) === 0) return;`;
}

/**
 * Generates a TypeScript module for a guest source: `SOURCE` (name, hash, event count, signatures and argument
 * kinds, what the SDK's handshake sends), an interface with one typed function per event, and `bindTrace(tracer)`.
 * Events with the `disable` property get empty bodies. Pure: same input, same text.
 */
export function generateFirmwareTs(source: CatalogSource, options: FirmwareTsOptions = {}): string {
  const sdk = options.sdkModule ?? '@unitrace/firmware-sdk';
  const e = createEmitter();
  e.line('// generated by unitrace gen --target firmware-ts — do not edit');
  if (options.origin) e.line(`// from ${options.origin}, guest source ${source.name}`);
  e.line(`import type { GuestSource, GuestTracer } from '${sdk}';`);
  e.line();
  e.line('/** The guest source these functions were generated for: what the handshake tells the host. */');
  e.block('export const SOURCE: GuestSource = {', () => {
    e.line(`name: ${quote(source.name)},`);
    e.line(`hash: '${source.hash}',`);
    e.line(`eventCount: ${source.events.length},`);
    e.block('signatures: [', () => {
      for (const ev of source.events) e.line(`${quote(eventSignature(ev))},`);
    }, '],');
    e.line(`argKinds: [${source.events.map((ev) => `'${argKinds(ev)}'`).join(', ')}],`);
  }, '};');
  e.line();
  e.line('/** Local ids, by event name. */');
  e.block('export const EVENT_IDS = {', () => {
    source.events.forEach((ev, i) => e.line(`${ev.name}: ${i},`));
  }, '} as const;');
  e.line();
  e.line('/** One function per event; a disabled one costs a state-page load, a bit test and a branch (no exit). */');
  e.block('export interface Trace {', () => {
    for (const ev of source.events) {
      e.line(`/** ${declComment(ev)} */`);
      const params = paramNames(ev, jsIdentifier, INTERNAL);
      e.line(`${ev.name}(${ev.args.map((a, k) => `${params[k]}: ${paramType(a)}`).join(', ')}): void;`);
    }
  });
  e.line();
  e.line('/** Binds the functions to a tracer created for SOURCE; throws a RangeError for a tracer of another source. */');
  e.block('export function bindTrace(t: GuestTracer): Trace {', () => {
    e.line('t.checkSource(SOURCE);');
    e.line('const S = t.ram;');
    e.line('const P = t.statePage;');
    e.block('return {', () => {
      source.events.forEach((ev, index) => emitEvent(e, ev, index));
    }, '};');
  });
  return e.toString();
}

function emitEvent(e: Emitter, ev: EventDecl, index: number): void {
  const params = paramNames(ev, jsIdentifier, INTERNAL);
  if (ev.disabled) {
    e.line(`${ev.name}(${params.map((p) => `_${p}`).join(', ')}) {},`);
    return;
  }
  e.block(`${ev.name}(${params.join(', ')}) {`, () => {
    e.line(stateTest(index));
    if (ev.args.length === 0) {
      e.line(`if (t.begin(${index}, 0) >= 0) t.end();`);
      return;
    }
    let fixed = 0;
    const lens: string[] = [];
    ev.args.forEach((a, k) => {
      if (a.type.kind === 'string') {
        e.line(`const n${k} = t.strLen(${params[k]});`);
        lens.push(`n${k}`);
        fixed += 4;
      } else fixed += 8;
    });
    e.line(`${ev.args.length > 1 ? 'let' : 'const'} o = t.begin(${index}, ${[String(fixed), ...lens].join(' + ')});`);
    e.line('if (o < 0) return;');
    ev.args.forEach((a, k) => e.lines(storeLines(storeArg(a, params[k], `n${k}`), k === ev.args.length - 1)));
    e.line('t.end();');
  }, '},');
}
