// RELIABILITY.md F1: names come from the file's mapping records, so the errors that quote them escape control
// characters and non-ASCII: a hostile file cannot split an error line or send a terminal escape.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isTraceError, parseTraceEvents } from '@unitrace/core';
import { openSimpleTrace, type SimpleTraceOptions } from '../src/reader.js';
import { quoteName } from '../src/read/quote.js';
import { tempDir } from './support.js';
import { PayloadBuilder, TraceBuilder } from './trace-builder.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let serial = 0;

/** A file mapping id 1 to `name` (its bytes as given) with one record of it carrying `payload`. */
function traceNaming(name: Uint8Array, payload: Uint8Array = new Uint8Array(0)): string {
  const b = new TraceBuilder().header().u64(0).u64(1).u32(name.length).raw(name).event(1, 5, 1, payload);
  const file = tmp.file(`quoted-${serial++}.bin`);
  writeFileSync(file, b.bytes());
  return file;
}

async function firstError(file: string, options: SimpleTraceOptions, view: 'records' | 'batches'): Promise<Error> {
  const trace = await openSimpleTrace(file, options);
  try {
    if (view === 'records') for await (const _ of trace.records());
    else for await (const _ of trace.batches(() => undefined));
  } catch (err) {
    expect(isTraceError(err, 'E_TRACE_FILE')).toBe(true);
    return err as Error;
  }
  throw new Error('no error');
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
// "evil", newline, ESC [31m, "red", a quote, a backslash, é in UTF-8, a tab, DEL.
const HOSTILE = latin1("evil\n\x1b[31mred'\\\xc3\xa9\t\x7f");
const QUOTED = "'evil\\n\\x1b[31mred\\'\\\\\\xe9\\t\\x7f'";

describe('reader errors quote names from the file escaped', () => {
  it('quoteName escapes exactly what could break a line or a terminal, and keeps plain names as they are', () => {
    expect(quoteName('fw_cfg_read')).toBe("'fw_cfg_read'");
    expect(quoteName('evil\n\x1b[31mred')).toBe("'evil\\n\\x1b[31mred'");
    expect(quoteName('a\rb\x00c\x9bd')).toBe("'a\\rb\\x00c\\x9bd'");
    expect(quoteName('\u2028\u{1f600}')).toBe("'\\u2028\\ud83d\\ude00'");
    expect(quoteName("it's \\")).toBe("'it\\'s \\\\'");
  });

  it('for a name missing from the events list', async () => {
    const events = parseTraceEvents('ev(void) ""\n', 'q/trace-events').events;
    const err = await firstError(traceNaming(HOSTILE), { events }, 'records');
    expect(err.message).toBe(`${QUOTED} event is logged but is not declared in the trace events file, try using trace-events-all instead.`);
    expect(String(err)).not.toMatch(/[\x00-\x1f\x7f-\uffff]/);
  });

  it('for a payload too short for the declaration of a hostile name', async () => {
    const name = "ev'\n";
    const events = parseTraceEvents(`ev(uint64_t v) ""\n`, 'q/trace-events').events.map((e) => ({ ...e, name }));
    const err = await firstError(traceNaming(latin1(name), new PayloadBuilder().bytes()), { events }, 'records');
    expect(err.message).toBe("event record of 'ev\\'\\n' has a 0-byte payload, too short for its declared arguments");
  });

  it("for a name the batch view's registry does not have", async () => {
    const err = await firstError(traceNaming(HOSTILE), {}, 'batches');
    expect(err.message).toBe(`${QUOTED} event is logged but the catalog it is converted with does not declare it`);
    // A plain name is quoted as before.
    const plain = await firstError(traceNaming(latin1('fw_cfg_read')), {}, 'batches');
    expect(plain.message).toBe("'fw_cfg_read' event is logged but the catalog it is converted with does not declare it");
  });
});
