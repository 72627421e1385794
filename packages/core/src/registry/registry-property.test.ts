// Invariants over random catalogs and random sequences of every state-changing operation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTraceError } from '../errors.js';
import { catalogOf, decl } from './catalog-fixture.js';
import { createRegistry } from './registry.js';
import type { Registry } from './types.js';

const nameArb = fc.string({ unit: fc.constantFrom('a', 'b', '_'), minLength: 1, maxLength: 4 });
const textArb = fc.tuple(
  fc.constantFrom('', '', '-'),
  fc.string({ unit: fc.constantFrom('a', 'b', '_', '*', '?'), maxLength: 5 }),
).map(([sign, body]) => sign + body);

const catalogArb = fc
  .record({
    events: fc.uniqueArray(fc.record({ name: nameArb, disabled: fc.boolean() }), {
      selector: (e) => e.name,
      maxLength: 14,
    }),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map(({ events, cuts }) => {
    // Cut the event list into the host and up to three guests.
    const bounds = [...cuts.map((c) => c % (events.length + 1)).sort((a, b) => a - b), events.length];
    let from = 0;
    return catalogOf(
      ...bounds.map((to, k) => {
        const slice = events.slice(from, to).map((e) => decl(e.name, e.disabled));
        from = to;
        return { name: k === 0 ? 'host' : `g${k}`, events: slice };
      }),
    );
  });

type Op =
  | { kind: 'set'; index: number; on: boolean }
  | { kind: 'enable'; text: string }
  | { kind: 'apply'; name: string; on: boolean; ignore: boolean }
  | { kind: 'file'; lines: string[] }
  | { kind: 'query'; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), index: fc.nat(), on: fc.boolean() }),
  fc.record({ kind: fc.constant('enable' as const), text: fc.oneof(textArb, fc.constantFrom('help', '?', '*', '-*')) }),
  fc.record({ kind: fc.constant('apply' as const), name: textArb, on: fc.boolean(), ignore: fc.boolean() }),
  fc.record({
    kind: fc.constant('file' as const),
    lines: fc.array(fc.oneof(textArb, fc.constant('#x')), { maxLength: 5 }),
  }),
  fc.record({ kind: fc.constant('query' as const), name: textArb }),
);

function run(r: Registry, op: Op): void {
  try {
    switch (op.kind) {
      case 'set':
        if (r.size > 0) r.setState(op.index % r.size, op.on);
        return;
      case 'enable':
        r.enable(op.text);
        return;
      case 'apply':
        r.applyState(op.name, op.on, op.ignore);
        return;
      case 'file':
        r.applyEventsFile(op.lines.join('\n'), 'events');
        return;
      case 'query':
        r.queryState(op.name);
        return;
    }
  } catch (err) {
    // Only QMP's documented refusals may throw.
    if (!isTraceError(err, 'E_UNKNOWN_EVENT') && !isTraceError(err, 'E_EVENT_UNAVAILABLE')) throw err;
  }
}

describe('registry invariants under random operations', () => {
  it('keeps enabledCount, unavailable events and change notifications consistent with `state`', () => {
    fc.assert(
      fc.property(catalogArb, fc.array(opArb, { maxLength: 25 }), (catalog, ops) => {
        const r = createRegistry(catalog);
        const unavailable = Array.from({ length: r.size }, (_, i) => r.event(i).decl.disabled);
        const heard: number[][] = [];
        r.onChange((c) => heard.push([...c.indices]));
        for (const op of ops) {
          const before = Array.from(r.state);
          heard.length = 0;
          run(r, op);
          const ones = r.state.reduce((n, bit) => n + bit, 0);
          expect(r.enabledCount).toBe(ones);
          expect(r.state.every((bit) => bit === 0 || bit === 1)).toBe(true);
          unavailable.forEach((isOff, i) => {
            if (isOff) expect([r.state[i], r.getState(i)]).toEqual([0, 'unavailable']);
          });
          const flipped = before.flatMap((bit, i) => (bit !== r.state[i] ? [i] : []));
          expect(heard).toEqual(flipped.length === 0 ? [] : [flipped]);
          if (op.kind === 'query') expect(flipped).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });
});
