import { describe, expect, it, vi } from 'vitest';
import { isTraceError } from '../errors.js';
import { catalogOf, guestBase, off } from './catalog-fixture.js';
import { createRegistry } from './registry.js';
import type { StateChange } from './types.js';

const TWO_32 = 0x1_0000_0000n;

/** Host a,b,c (b unavailable); guest fw x,y; guest bios z. */
function machine() {
  return createRegistry(
    catalogOf(
      { name: 'host', events: ['a', off('b'), 'c'] },
      { name: 'fw', events: ['x', 'y'] },
      { name: 'bios', events: ['z'] },
    ),
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('dense layout (spec §3.3: sources in registration order, events in file order)', () => {
  it('numbers events host first, then guests in include order', () => {
    const r = machine();
    expect(r.size).toBe(6);
    expect(r.state).toEqual(new Uint8Array(6));
    expect(Array.from({ length: 6 }, (_, i) => r.event(i).decl.name)).toEqual(['a', 'b', 'c', 'x', 'y', 'z']);
    expect(r.sources.map((s) => [s.name, s.first, s.index])).toEqual([
      ['host', 0, 0],
      ['fw', 3, 1],
      ['bios', 5, 2],
    ]);
    expect(r.event(4).local).toBe(1);
    expect(r.event(4).source.name).toBe('fw');
    expect(r.event(4).index).toBe(4);
  });

  it('gives host events their index as id and guests base + local', () => {
    const r = machine();
    expect(r.event(2).id).toBe(2n);
    expect(r.event(3).id).toBe(0x8000_0000_0000_0000n);
    expect(r.event(4).id).toBe(0x8000_0000_0000_0001n);
    expect(r.event(5).id).toBe(0x8000_0001_0000_0000n);
  });

  it('splits ids into u32 halves, carrying across the 32-bit boundary', () => {
    const r = createRegistry(
      catalogOf({ name: 'host', events: ['h'] }, { name: 'g', events: ['g0', 'g1'], base: 0x8000_0000_ffff_ffffn }),
    );
    expect([r.event(0).idLo, r.event(0).idHi]).toEqual([0, 0]);
    expect([r.event(1).idLo, r.event(1).idHi]).toEqual([0xffff_ffff, 0x8000_0000]);
    expect([r.event(2).idLo, r.event(2).idHi]).toEqual([0, 0x8000_0001]);
    for (let i = 0; i < r.size; i++) {
      const ref = r.event(i);
      expect(BigInt(ref.idHi) * TWO_32 + BigInt(ref.idLo)).toBe(ref.id);
    }
  });

  it('throws a RangeError for an index outside the registry', () => {
    const r = machine();
    for (const bad of [-1, 6, 1.5, Number.NaN]) {
      expect(() => r.event(bad)).toThrow(RangeError);
      expect(() => r.getState(bad)).toThrow(RangeError);
      expect(() => r.setState(bad, true)).toThrow(RangeError);
    }
  });

  it('handles an empty catalog and sources without events', () => {
    expect(createRegistry(catalogOf()).size).toBe(0);
    const r = createRegistry(
      catalogOf({ name: 'host', events: [] }, { name: 'g', events: [] }, { name: 'k', events: ['e'] }),
    );
    expect(r.sources.map((s) => s.first)).toEqual([0, 0, 0]);
    expect(r.byId(guestBase(1))?.decl.name).toBe('e');
    expect(r.byId(0n)).toBeUndefined();
    expect(r.sourceOfId(guestBase(0))).toBeUndefined();
  });
});

describe('lookups', () => {
  it('finds events by exact, case-sensitive name and sources by name', () => {
    const r = machine();
    expect(r.lookup('y')?.index).toBe(4);
    expect(r.lookup('Y')).toBeUndefined();
    expect(r.lookup('*')).toBeUndefined();
    expect(r.source('fw')?.first).toBe(3);
    expect(r.source('nope')).toBeUndefined();
  });

  it('finds events and sources by wire id within each range only', () => {
    const r = machine();
    expect(r.byId(0n)?.decl.name).toBe('a');
    expect(r.byId(2n)?.decl.name).toBe('c');
    expect(r.byId(3n)).toBeUndefined();
    expect(r.sourceOfId(2n)?.name).toBe('host');
    expect(r.sourceOfId(3n)).toBeUndefined();
    expect(r.byId(guestBase(0) + 1n)?.decl.name).toBe('y');
    expect(r.byId(guestBase(0) + 2n)).toBeUndefined();
    expect(r.sourceOfId(guestBase(0) + 2n)).toBeUndefined();
    expect(r.byId(guestBase(0) - 1n)).toBeUndefined();
    expect(r.byId(guestBase(1))?.decl.name).toBe('z');
    expect(r.sourceOfId(guestBase(1))?.name).toBe('bios');
    expect(r.byId(0xffff_ffff_ffff_ffffn)).toBeUndefined();
    expect(r.byId(0xffff_ffff_ffff_fffen)).toBeUndefined();
    expect(r.byId(-1n)).toBeUndefined();
  });

  it('answers byId for a source pinned below another source', () => {
    const r = createRegistry(
      catalogOf(
        { name: 'host', events: ['h'] },
        { name: 'g0', events: ['p'] },
        { name: 'g1', events: ['q'], base: 0x9000_0000_0000_0000n },
      ),
    );
    expect(r.byId(0x9000_0000_0000_0000n)?.decl.name).toBe('q');
    expect(r.byId(guestBase(0))?.decl.name).toBe('p');
  });
});

describe('catalog invariants the registry relies on', () => {
  it('rejects a name declared twice, across sources too', () => {
    const err = thrown(() => createRegistry(catalogOf({ name: 'host', events: ['a'] }, { name: 'g', events: ['a'] })));
    expect(isTraceError(err, 'E_DUPLICATE')).toBe(true);
    const twice = catalogOf({ name: 'host', events: ['a'] }, { name: 'host', events: ['b'] });
    const err2 = thrown(() => createRegistry(twice));
    expect(isTraceError(err2, 'E_DUPLICATE')).toBe(true);
  });

  it('rejects overlapping ranges and ranges that reach the reserved ids', () => {
    const overlap = catalogOf(
      { name: 'host', events: ['h'] },
      { name: 'g0', events: ['a', 'b'] },
      { name: 'g1', events: ['c'], base: guestBase(0) + 1n },
    );
    expect(isTraceError(thrown(() => createRegistry(overlap)), 'E_ID_RANGE')).toBe(true);
    // 0x…FFFE and 0x…FFFF are the dropped and header ids: a range may end just before them.
    const top = 0xffff_ffff_ffff_fffcn;
    const fits = catalogOf({ name: 'host', events: [] }, { name: 'g', events: ['a', 'b'], base: top });
    expect(createRegistry(fits).byId(0xffff_ffff_ffff_fffdn)?.decl.name).toBe('b');
    const hits = catalogOf({ name: 'host', events: [] }, { name: 'g', events: ['a', 'b', 'c'], base: top });
    expect(isTraceError(thrown(() => createRegistry(hits)), 'E_ID_RANGE')).toBe(true);
  });
});

describe('dynamic state', () => {
  it('sets and reads state, keeping enabledCount', () => {
    const r = machine();
    expect(r.getState(0)).toBe('disabled');
    expect(r.setState(0, true)).toBe(true);
    expect(r.setState(4, true)).toBe(true);
    expect(r.getState(0)).toBe('enabled');
    expect(r.state[0]).toBe(1);
    expect(r.enabledCount).toBe(2);
    expect(r.setState(0, true)).toBe(true);
    expect(r.enabledCount).toBe(2);
    expect(r.setState(0, false)).toBe(true);
    expect(r.enabledCount).toBe(1);
    expect(r.state[0]).toBe(0);
  });

  it('never enables an event with the `disable` property (spec §2.4)', () => {
    const r = machine();
    expect(r.getState(1)).toBe('unavailable');
    expect(r.setState(1, true)).toBe(false);
    expect(r.state[1]).toBe(0);
    expect(r.enabledCount).toBe(0);
    expect(r.setState(1, false)).toBe(false);
  });
});

describe('change notification', () => {
  it('calls listeners once per operation with every flipped index, ascending, and never for a no-op', () => {
    const r = machine();
    const seen: number[][] = [];
    r.onChange((c) => seen.push([...c.indices]));
    r.setState(2, true);
    r.setState(2, true);
    r.setState(1, true);
    r.enable('*');
    r.enable('-c');
    r.enable('nope');
    expect(seen).toEqual([[2], [0, 3, 4, 5], [2]]);
  });

  it('reports the net change of an operation: an event flipped twice is no change', () => {
    const r = machine();
    const seen: number[][] = [];
    r.onChange((c) => seen.push([...c.indices]));
    r.applyEventsFile('z\nc\n-c\na\n', 'events');
    r.applyEventsFile('c\n-c\n', 'events');
    expect(seen).toEqual([[0, 5]]);
  });

  it('stops calling a listener once removed, and removing twice is harmless', () => {
    const r = machine();
    let calls = 0;
    const remove = r.onChange(() => calls++);
    r.setState(0, true);
    remove();
    remove();
    r.setState(0, false);
    expect(calls).toBe(1);
  });

  it('hands listeners a frozen change', () => {
    const r = machine();
    let change: StateChange | undefined;
    r.onChange((c) => (change = c));
    r.setState(0, true);
    expect(Object.isFrozen(change)).toBe(true);
    expect(Object.isFrozen(change!.indices)).toBe(true);
  });

  it('isolates a throwing listener: the state change holds and other listeners still run', () => {
    const errors: Array<[unknown, StateChange]> = [];
    const r = createRegistry(catalogOf({ name: 'host', events: ['a', 'b'] }), {
      onListenerError: (err, change) => errors.push([err, change]),
    });
    const boom = new Error('boom');
    const after: number[][] = [];
    r.onChange(() => {
      throw boom;
    });
    r.onChange((c) => after.push([...c.indices]));
    expect(() => r.setState(1, true)).not.toThrow();
    expect(r.state[1]).toBe(1);
    expect(r.enabledCount).toBe(1);
    expect(after).toEqual([[1]]);
    expect(errors).toHaveLength(1);
    expect(errors[0][0]).toBe(boom);
    expect(errors[0][1].indices).toEqual([1]);
  });

  it('by default rethrows a listener error on a microtask, after the operation completed', () => {
    const queued: Array<() => void> = [];
    vi.stubGlobal('queueMicrotask', (fn: () => void) => queued.push(fn));
    try {
      const r = createRegistry(catalogOf({ name: 'host', events: ['a'] }));
      const boom = new Error('boom');
      r.onChange(() => {
        throw boom;
      });
      r.setState(0, true);
      expect(r.state[0]).toBe(1);
      expect(queued).toHaveLength(1);
      expect(() => queued[0]()).toThrow(boom);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('delivers changes made by a listener after the current change reached every listener', () => {
    const r = machine();
    const log: string[] = [];
    r.onChange((c) => {
      log.push(`first ${c.indices.join()}`);
      if (c.indices.includes(0)) r.setState(2, true);
    });
    r.onChange((c) => log.push(`second ${c.indices.join()}`));
    r.setState(0, true);
    expect(log).toEqual(['first 0', 'second 0', 'first 2', 'second 2']);
    expect(r.state[2]).toBe(1);
  });
});
