// Every line the sink writes equals `<name> ` + core's renderValues of the InMemorySink's decoded values + `\n`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileEventFormat, renderValues } from '@unitrace/core';
import { InMemorySink } from '@unitrace/core/testing';
import { createStderrSink } from '../src/index.js';
import { emitSamples, testTracer } from './support/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'unitrace-stderr-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lines against the InMemory reference', () => {
  it('are name, space, renderValues of the decoded arguments, newline; in order; nothing else', async () => {
    const { tracer, clock } = testTracer();
    const memory = new InMemorySink();
    const file = join(dir, 'ref.log');
    const errors: unknown[] = [];
    tracer.addSink(memory);
    tracer.addSink(createStderrSink({ file, minLength: 300 }, { onError: (e) => errors.push(e), pid: 4242, clock }));
    emitSamples(tracer, clock, 40);
    await tracer.close();

    const parts: Buffer[] = [];
    for (const r of memory.records) {
      const decl = tracer.registry.event(r.index).decl;
      parts.push(Buffer.from(`${r.name} `), Buffer.from(renderValues(compileEventFormat(decl), r.raw)), Buffer.from('\n'));
    }
    expect(memory.records.length).toBe(12 * 40);
    expect(readFileSync(file).equals(Buffer.concat(parts))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('an event with no format, or an empty one, prints its name and a trailing space (spec §6)', async () => {
    const { tracer, clock } = testTracer();
    const file = join(dir, 'empty.log');
    tracer.addSink(createStderrSink({ file }, { onError: () => {}, pid: 1, clock }));
    tracer.emit(tracer.registry.lookup('ref_void')!.index, []);
    tracer.emit(tracer.registry.lookup('ref_none')!.index, [7]);
    await tracer.close();
    expect(readFileSync(file, 'latin1')).toBe('ref_void \nref_none \n');
  });
});
