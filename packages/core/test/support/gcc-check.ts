// Test helper: renders calls with the engine and with gcc-compiled printf, and lists every byte difference.
import type { EventDecl } from '../../src/events/decl.js';
import { ByteWriter } from '../../src/format/byte-writer.js';
import { compileFormat } from '../../src/format/compile-format.js';
import { renderPayload, renderValues } from '../../src/format/render.js';
import { cInteger, cLiteral, C_PRELUDE, runC } from './gcc.js';
import { encodePayload, type RawValue } from './payload.js';

/** One printf call to check: `prefix template suffix` with `values` passed through a C function of the decl's types. */
export interface GccCall {
  readonly label: string;
  readonly decl: EventDecl;
  readonly template: string;
  /** Literal bytes around the template in the C format, e.g. `name ` and `\n` for a log line. */
  readonly prefix?: string;
  readonly suffix?: string;
  /** The format as C source text (e.g. the catalog's raw `"0x%" PRIx64`); defaults to the template as a literal. */
  readonly cFormat?: string;
  readonly values: readonly RawValue[];
}

/** One difference between gcc and the engine. */
export interface GccMismatch {
  readonly label: string;
  readonly path: 'values' | 'payload';
  readonly gcc: string;
  readonly ours: string;
}

const show = (b: Uint8Array): string => JSON.stringify(Buffer.from(b).toString('latin1'));

function cArg(typeKind: string, v: RawValue): string {
  if (typeKind === 'string') return v instanceof Uint8Array ? cLiteral(v) : '(char *)0';
  if (typeKind === 'pointer') return `(void *)${cInteger(typeof v === 'bigint' ? v : 0n)}`;
  return cInteger(typeof v === 'bigint' ? v : 0n);
}

/**
 * Compiles one C program for all `calls` (one function per distinct decl+template, parameters of the declared C
 * types as written) and compares. A call with a NULL string is run twice in C: with NULL against `renderValues`,
 * and with "" against `renderPayload`, because the simple backend records NULL as an empty string.
 */
export function compareWithGcc(calls: readonly GccCall[]): { mismatches: GccMismatch[]; checked: number } {
  const fnIndex = new Map<string, number>();
  const fns: string[] = [];
  const body: string[] = [];
  const expectations: { call: GccCall; path: 'values' | 'payload' | 'both' }[] = [];
  for (const call of calls) {
    const fmt = call.cFormat ?? cLiteral((call.prefix ?? '') + call.template + (call.suffix ?? ''));
    const key = `${call.decl.args.map((a) => a.type.text).join(',')}|${fmt}`;
    let f = fnIndex.get(key);
    if (f === undefined) {
      f = fns.length;
      fnIndex.set(key, f);
      const params = call.decl.args.map((a, i) => `${a.type.text} a${i}`).join(', ') || 'void';
      const args = call.decl.args.map((_, i) => `, a${i}`).join('');
      fns.push(`static void f${f}(${params}) { OUT(${fmt}${args}); }`);
    }
    const kinds = call.decl.args.map((a) => a.type.kind);
    const hasNullString = kinds.some((k, i) => k === 'string' && call.values[i] === null);
    body.push(`  f${f}(${kinds.map((k, i) => cArg(k, call.values[i])).join(', ')});`);
    expectations.push({ call, path: hasNullString ? 'values' : 'both' });
    if (hasNullString) {
      const empty = call.values.map((v, i) => (kinds[i] === 'string' && v === null ? new Uint8Array(0) : v));
      body.push(`  f${f}(${kinds.map((k, i) => cArg(k, empty[i])).join(', ')});`);
      expectations.push({ call, path: 'payload' });
    }
  }
  const frames = runC(`${C_PRELUDE}${fns.join('\n')}\nint main(void) {\n${body.join('\n')}\n  return 0;\n}\n`);
  if (frames.length !== expectations.length) throw new Error(`gcc printed ${frames.length} frames, expected ${expectations.length}`);
  const mismatches: GccMismatch[] = [];
  const compiled = new Map<string, ReturnType<typeof compileFormat>>();
  const out = new ByteWriter();
  expectations.forEach(({ call, path }, i) => {
    const gcc = frames[i];
    const key = `${call.decl.name}|${call.decl.args.map((a) => a.type.text).join(',')}|${call.template}`;
    let c = compiled.get(key);
    if (!c) compiled.set(key, (c = compileFormat(call.decl, call.template)));
    const wrap = (b: Uint8Array): Uint8Array => {
      out.reset();
      out.pushAscii(call.prefix ?? '');
      out.pushBytes(b);
      out.pushAscii(call.suffix ?? '');
      return out.bytes.slice(0, out.length);
    };
    if (path !== 'payload') {
      const ours = wrap(renderValues(c, call.values));
      if (show(ours) !== show(gcc)) mismatches.push({ label: call.label, path: 'values', gcc: show(gcc), ours: show(ours) });
    }
    if (path !== 'values') {
      const payload = encodePayload(
        call.decl.args.map((a) => a.type),
        call.values,
      );
      out.reset();
      out.pushAscii(call.prefix ?? '');
      renderPayload(c, payload, new DataView(payload.buffer), 0, payload.length, out);
      out.pushAscii(call.suffix ?? '');
      const ours = out.bytes.slice(0, out.length);
      if (show(ours) !== show(gcc)) mismatches.push({ label: call.label, path: 'payload', gcc: show(gcc), ours: show(ours) });
    }
  });
  return { mismatches, checked: expectations.length };
}
