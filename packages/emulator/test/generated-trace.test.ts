// The generated tracepoints must match src/trace-events: regenerate with scripts/gen-trace.ts when this fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACE_EVENTS_FILE, staleFiles } from '../scripts/gen-trace.js';
import { EVENT_NAMES } from '../src/generated/trace.js';
import { TRACE_EVENTS_TEXT } from '../src/generated/trace-catalog.js';

describe('src/generated', () => {
  it('is up to date with src/trace-events (npx tsx --conditions=@unitrace/source packages/emulator/scripts/gen-trace.ts)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('is reported stale when the catalog changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitrace-gen-'));
    try {
      const edited = join(dir, 'trace-events');
      writeFileSync(edited, `${readFileSync(TRACE_EVENTS_FILE, 'latin1')}extra_event(int x) "x %d"\n`, 'latin1');
      expect(staleFiles(edited).length).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('embeds the catalog text and declares the machine and bus events', () => {
    expect(TRACE_EVENTS_TEXT).toBe(readFileSync(TRACE_EVENTS_FILE, 'latin1'));
    for (const name of ['machine_reset', 'machine_state_change', 'vcpu_start', 'vcpu_halt', 'io_unassigned_read']) {
      expect(EVENT_NAMES).toContain(name);
    }
  });
});
