// QEMU's trace-control semantics: -trace enable= (spec §4.1) and QMP trace-event-get/set-state (spec §4.4).
import { describe, expect, it } from 'vitest';
import { type TraceError, isTraceError } from '../errors.js';
import { catalogOf, off } from './catalog-fixture.js';
import { createRegistry } from './registry.js';

/**
 * Real QEMU names where the spec gives them (qemu_memalign, qemu_vmalloc; qxl_io_write_vga and the hppa_tlb_*
 * events carry `disable` in-tree, spec §2.4), plus a guest `fw` whose dev_? names show the first-match rule.
 */
function qemu() {
  const r = createRegistry(
    catalogOf(
      { name: 'host', events: ['qemu_memalign', 'qemu_vmalloc', off('qxl_io_write_vga'), 'qxl_create_guest_primary'] },
      { name: 'fw', events: [off('dev_a'), 'dev_b', 'dev_c', off('hppa_tlb_flush_ent'), 'hppa_tlb_fake_avail'] },
    ),
  );
  const enabled = () => Array.from({ length: r.size }, (_, i) => r.event(i).decl.name).filter((_, i) => r.state[i]);
  return { r, enabled };
}

function traceError(fn: () => unknown): TraceError {
  try {
    fn();
  } catch (err) {
    if (isTraceError(err)) return err;
    throw err;
  }
  throw new Error('expected a TraceError');
}

describe('enable: trace_enable_events (spec §4.1)', () => {
  it('turns exactly `help` and `?` into a listing request and changes nothing', () => {
    const { r } = qemu();
    let calls = 0;
    r.onChange(() => calls++);
    expect(r.enable('help')).toEqual({ changed: 0, matched: 0, warnings: [], help: true });
    expect(r.enable('?')).toEqual({ changed: 0, matched: 0, warnings: [], help: true });
    expect(r.enabledCount).toBe(0);
    expect(calls).toBe(0);
    // `-` is looked at only after the help check: `-help` disables an event called `help`.
    expect(r.enable('-help')).toEqual({
      changed: 0,
      matched: 0,
      warnings: ["trace event 'help' does not exist"],
      help: false,
    });
    expect(r.enable('HELP').help).toBe(false);
    expect(r.enable(' help').help).toBe(false);
  });

  it('enables one named event, and a leading `-` disables it', () => {
    const { r, enabled } = qemu();
    expect(r.enable('qemu_memalign')).toEqual({ changed: 1, matched: 1, warnings: [], help: false });
    expect(enabled()).toEqual(['qemu_memalign']);
    expect(r.enable('qemu_memalign')).toEqual({ changed: 0, matched: 1, warnings: [], help: false });
    expect(r.enable('-qemu_memalign')).toEqual({ changed: 1, matched: 1, warnings: [], help: false });
    expect(enabled()).toEqual([]);
  });

  it('applies a pattern to every match, skipping unavailable ones silently, across sources', () => {
    const { r, enabled } = qemu();
    expect(r.enable('*_tlb_*')).toEqual({ changed: 1, matched: 2, warnings: [], help: false });
    expect(r.enable('q*')).toEqual({ changed: 3, matched: 4, warnings: [], help: false });
    expect(enabled()).toEqual(['qemu_memalign', 'qemu_vmalloc', 'qxl_create_guest_primary', 'hppa_tlb_fake_avail']);
    expect(r.enable('-*')).toEqual({ changed: 4, matched: 9, warnings: [], help: false });
    expect(r.enabledCount).toBe(0);
  });

  it('treats a pattern without matches as no error and no warning', () => {
    const { r } = qemu();
    expect(r.enable('nothing_*')).toEqual({ changed: 0, matched: 0, warnings: [], help: false });
    expect(r.enable('-nothing_*')).toEqual({ changed: 0, matched: 0, warnings: [], help: false });
  });

  it('warns for a name that does not exist, in QEMU words, without the `-`', () => {
    const { r } = qemu();
    expect(r.enable('qemu_memalig').warnings).toEqual(["trace event 'qemu_memalig' does not exist"]);
    expect(r.enable('-nope').warnings).toEqual(["trace event 'nope' does not exist"]);
    expect(r.enable('QEMU_MEMALIGN').warnings).toEqual(["trace event 'QEMU_MEMALIGN' does not exist"]);
    expect(r.enable('').warnings).toEqual(["trace event '' does not exist"]);
    expect(r.enable('-').warnings).toEqual(["trace event '' does not exist"]);
    expect(r.enabledCount).toBe(0);
  });

  it('warns that an unavailable event is not traceable and leaves it off', () => {
    const { r } = qemu();
    expect(r.enable('qxl_io_write_vga')).toEqual({
      changed: 0,
      matched: 1,
      warnings: ["trace event 'qxl_io_write_vga' is not traceable"],
      help: false,
    });
    expect(r.enable('-qxl_io_write_vga').warnings).toEqual(["trace event 'qxl_io_write_vga' is not traceable"]);
    expect(r.state[2]).toBe(0);
  });

  it('globs a `?` in a non-pattern but changes only the first match', () => {
    const { r, enabled } = qemu();
    // dev_a (first in iteration order) is unavailable: QEMU warns and stops there; dev_b stays off.
    expect(r.enable('dev_?')).toEqual({
      changed: 0,
      matched: 1,
      warnings: ["trace event 'dev_?' is not traceable"],
      help: false,
    });
    expect(enabled()).toEqual([]);
    expect(r.enable('dev_[bc]').warnings).toEqual(["trace event 'dev_[bc]' does not exist"]);
    expect(r.enable('qemu_????loc')).toEqual({ changed: 1, matched: 1, warnings: [], help: false });
    expect(r.enable('qemu_???????')).toEqual({ changed: 0, matched: 1, warnings: [], help: false });
    expect(enabled()).toEqual(['qemu_vmalloc']);
  });

  it('keeps control characters of a name out of the one-line warning', () => {
    const { r } = qemu();
    expect(r.enable('qemu_memalign\r').warnings).toEqual(["trace event 'qemu_memalign\\r' does not exist"]);
    expect(r.enable('a\x1bb').warnings).toEqual(["trace event 'a\\x1bb' does not exist"]);
  });
});

describe('queryState: QMP trace-event-get-state (spec §4.4)', () => {
  it('answers the spec example', () => {
    const { r } = qemu();
    expect(r.queryState('qemu_memalign')).toEqual([{ name: 'qemu_memalign', state: 'disabled' }]);
    r.enable('qemu_memalign');
    expect(r.queryState('qemu_memalign')).toEqual([{ name: 'qemu_memalign', state: 'enabled' }]);
  });

  it('reports an event with `disable` as unavailable, not as an error', () => {
    const { r } = qemu();
    expect(r.queryState('qxl_io_write_vga')).toEqual([{ name: 'qxl_io_write_vga', state: 'unavailable' }]);
  });

  it('requires a non-pattern to name an event exactly', () => {
    const { r } = qemu();
    const err = traceError(() => r.queryState('qemu_memalig'));
    expect(err.code).toBe('E_UNKNOWN_EVENT');
    expect(err.message).toBe('unknown event "qemu_memalig"');
    // A `?` without `*` is not a pattern, and no event is literally called `dev_?`.
    expect(traceError(() => r.queryState('dev_?')).code).toBe('E_UNKNOWN_EVENT');
    expect(traceError(() => r.queryState('')).code).toBe('E_UNKNOWN_EVENT');
  });

  it('lists the matches of a pattern in reverse iteration order, and none without error', () => {
    const { r } = qemu();
    r.enable('qemu_vmalloc');
    expect(r.queryState('q*')).toEqual([
      { name: 'qxl_create_guest_primary', state: 'disabled' },
      { name: 'qxl_io_write_vga', state: 'unavailable' },
      { name: 'qemu_vmalloc', state: 'enabled' },
      { name: 'qemu_memalign', state: 'disabled' },
    ]);
    expect(r.queryState('*').map((e) => e.name)).toEqual([
      'hppa_tlb_fake_avail',
      'hppa_tlb_flush_ent',
      'dev_c',
      'dev_b',
      'dev_a',
      'qxl_create_guest_primary',
      'qxl_io_write_vga',
      'qemu_vmalloc',
      'qemu_memalign',
    ]);
    expect(r.queryState('nothing*')).toEqual([]);
  });
});

describe('applyState: QMP trace-event-set-state (spec §4.4)', () => {
  it('sets a named event', () => {
    const { r, enabled } = qemu();
    r.applyState('qemu_memalign', true);
    expect(enabled()).toEqual(['qemu_memalign']);
    r.applyState('qemu_memalign', false);
    expect(enabled()).toEqual([]);
  });

  it('rejects an unknown exact name, `?` names included', () => {
    const { r } = qemu();
    const err = traceError(() => r.applyState('nope', true));
    expect([err.code, err.message]).toEqual(['E_UNKNOWN_EVENT', 'unknown event "nope"']);
    expect(traceError(() => r.applyState('dev_?', true, true)).code).toBe('E_UNKNOWN_EVENT');
  });

  it('rejects an unavailable event, to disable as much as to enable, unless told to ignore it', () => {
    const { r } = qemu();
    for (const enable of [true, false]) {
      const err = traceError(() => r.applyState('qxl_io_write_vga', enable));
      expect([err.code, err.message]).toEqual(['E_EVENT_UNAVAILABLE', 'event "qxl_io_write_vga" is disabled']);
    }
    expect(() => r.applyState('qxl_io_write_vga', true, true)).not.toThrow();
    expect(r.getState(2)).toBe('unavailable');
    expect(r.state[2]).toBe(0);
  });

  it('validates a whole pattern before changing anything, naming the first unavailable match', () => {
    const { r } = qemu();
    let calls = 0;
    r.onChange(() => calls++);
    const err = traceError(() => r.applyState('*', true));
    expect([err.code, err.message]).toEqual(['E_EVENT_UNAVAILABLE', 'event "qxl_io_write_vga" is disabled']);
    expect(traceError(() => r.applyState('*_tlb_*', true)).message).toBe('event "hppa_tlb_flush_ent" is disabled');
    expect(r.enabledCount).toBe(0);
    expect(calls).toBe(0);
  });

  it('with ignoreUnavailable sets every available match of a pattern', () => {
    const { r, enabled } = qemu();
    r.applyState('*', true, true);
    expect(enabled()).toEqual([
      'qemu_memalign',
      'qemu_vmalloc',
      'qxl_create_guest_primary',
      'dev_b',
      'dev_c',
      'hppa_tlb_fake_avail',
    ]);
    r.applyState('dev_*', false, true);
    expect(r.enabledCount).toBe(4);
  });

  it('treats a pattern that matches nothing as a successful no-op', () => {
    const { r } = qemu();
    expect(() => r.applyState('nothing_*', true)).not.toThrow();
    expect(r.enabledCount).toBe(0);
  });
});
