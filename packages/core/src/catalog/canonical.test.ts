import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventDecl } from '../events/decl.js';
import { parseTraceEvents } from '../events/parse-trace-events.js';
import { canonicalForm, catalogHash } from './canonical.js';

function events(text: string, file = 'trace-events'): readonly EventDecl[] {
  const r = parseTraceEvents(text, file);
  expect(r.diagnostics).toEqual([]);
  return r.events;
}

const BASE = ['# dma', 'dma_read(uint64_t addr, const char* who) "addr 0x%" PRIx64 " by %s"', 'disable dma_off(void)', 'tick(void) ""', ''].join('\n');

describe('canonicalForm', () => {
  it('writes the header, then each event with normalised types, disable, and its template JSON-quoted', () => {
    expect(canonicalForm(events(BASE), 'guest').split('\n')).toEqual([
      'unitrace-catalog v1 guest',
      'dma_read(uint64_t addr, const char * who) "addr 0x%lx by %s"',
      'disable dma_off(void) ""',
      'tick(void) ""',
    ]);
  });

  it('escapes control bytes and quotes of the template the JSON way', () => {
    expect(canonicalForm(events('t(void) "\\t\\"x\\""\n'), 'host').split('\n')[1]).toBe('t(void) "\\t\\"x\\""');
  });
});

describe('catalogHash', () => {
  const hash = (text: string, kind: 'host' | 'guest' = 'guest', file?: string) => catalogHash(events(text, file), kind);

  it('is the SHA-256 of the canonical form as UTF-8, in lower-case hex', () => {
    const expected = createHash('sha256').update(Buffer.from(canonicalForm(events(BASE), 'guest'), 'utf8')).digest('hex');
    expect(hash(BASE)).toBe(expected);
    expect(hash(BASE)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable across calls', () => {
    expect(hash(BASE)).toBe(hash(BASE));
  });

  it('ignores comments, blank lines, spacing, the file name and how the format is split', () => {
    const respelled = ['', '# other comment', 'dma_read(uint64_t  addr,const char *who)   "addr 0x%"PRIx64" by " "%s"', '', 'disable  dma_off(void)', 'tick(void) ""', ''].join('\n');
    expect(hash(respelled, 'guest', 'elsewhere/trace-events')).toBe(hash(BASE));
  });

  it('changes when an argument type, an argument name, an event name, the format, disable, the order or the kind change', () => {
    const variants = [
      BASE.replace('uint64_t addr', 'uint32_t addr'),
      BASE.replace('uint64_t addr', 'uint64_t address'),
      BASE.replace('tick(void)', 'tock(void)'),
      BASE.replace('" by %s"', '" from %s"'),
      BASE.replace('PRIx64', 'PRIu64'),
      BASE.replace('disable dma_off', 'dma_off'),
      ['tick(void) ""', 'disable dma_off(void)', 'dma_read(uint64_t addr, const char* who) "addr 0x%" PRIx64 " by %s"', ''].join('\n'),
    ];
    const hashes = new Set([hash(BASE), ...variants.map((v) => hash(v)), hash(BASE, 'host')]);
    expect(hashes.size).toBe(variants.length + 2);
  });
});
