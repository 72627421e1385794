// Mapping by name: what a guest's names text may say, and what makes the host refuse it.
import { createRegistry, loadCatalog } from '@unitrace/core';
import { describe, expect, it } from 'vitest';
import { REASON_ARG_TYPES, REASON_BAD_NAMES } from '@unitrace/core/channel-abi';
import { mapByName } from './names.js';
import { buildSourceLayout } from './source-layout.js';

const CATALOG = new URL('../../test/guests/channel-catalog/trace-events', import.meta.url).pathname;
const layout = buildSourceLayout(createRegistry(loadCatalog(CATALOG)), 'fw');
const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const map = (text: string, count: number) => {
  const m = new Int32Array(16).fill(7);
  return { result: mapByName(layout, bytes(text), text.length, count, m), map: [...m.subarray(0, count)] };
};
const first = layout.source.first;

describe('mapByName', () => {
  it('maps each guest id to the same-named host event, whatever the order, and lists unknown names', () => {
    const { result, map: m } = map('fw_note(const char *)\0fw_new(void)\0fw_boot(uint32_t, const char *)\0', 3);
    expect(result).toEqual({ ok: true, known: 2, unknown: [{ local: 1, name: 'fw_new' }] });
    expect(m).toEqual([first + 3, -1, first]);
  });

  it('compares argument encodings, not spellings: `unsigned int` is `uint32_t`, `int` is not `uint64_t`', () => {
    expect(map('fw_boot(unsigned int, char *)\0', 1).result).toMatchObject({ ok: true, known: 1 });
    expect(map('fw_value(int, int)\0', 1).result).toMatchObject({ ok: false, reason: REASON_ARG_TYPES });
    expect(map('fw_tick(int)\0', 1).result).toMatchObject({ ok: false, reason: REASON_ARG_TYPES });
  });

  it('refuses text it cannot trust', () => {
    for (const [text, count] of [
      ['fw_tick(void)', 1], // no NUL at the end
      ['fw_tick(void)\0', 2], // fewer names than events
      ['fw_tick(void)\0fw_tick(void)\0', 2], // a name twice
      ['fw tick(void)\0', 1], // not a name
      ['fw_boot(struct x *, int)\0', 1], // not a catalog type
      ['fw_\xe9(void)\0', 1], // not ASCII
    ] as const) {
      expect(map(text, count).result, JSON.stringify(text)).toMatchObject({ ok: false, reason: REASON_BAD_NAMES });
    }
  });
});
