// Fuzz: QMP requests with random commands, arguments and ids, HMP command lines with random words, and garbage
// between requests, on a live unix socket. Every request gets exactly one reply (a return or an error) carrying its
// id, garbage gets only errors, and the server answers the next good request every time.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tally, fuzzParameters } from '@unitrace/core/testing';
import type { QmpClient } from '../src/monitor/qmp-client.js';
import { type Fixture, responsesUntil, startFixture } from './monitor-fixture.js';

const PKG = '@unitrace/emulator';
// Every command but `quit`, which ends the session by design; and names that are not commands.
const COMMANDS = [
  'qmp_capabilities', 'query-commands', 'query-version', 'query-status', 'stop', 'cont', 'trace-event-get-state',
  'trace-event-set-state', 'human-monitor-command', 'query-trace-sources', 'query-trace-sinks', 'query-trace', 'Quit', 'query_status', '',
  'trace-event-get-state\u0000', '__proto__', 'constructor', 'toString',
];
// An HMP line that runs quit (or its alias q; the name ends at a space or `/`, as in QEMU): excluded, as `quit` is
// from COMMANDS.
const QUIT_LINE = /^[ \t\n\v\f\r]*(q|quit)(?![^ \t\n\v\f\r/])/;
const ARG_NAMES = ['name', 'enable', 'ignore-unavailable', 'command-line', 'cpu-index', 'vcpu', '__proto__', 'constructor', ''];
const HMP_WORDS = [
  'info', 'status', 'trace-events', 'trace-sources', 'trace-sinks', 'version', 'trace-event', 'trace-file', 'on', 'off', 'flush',
  'set', 'help', '?', 'stop', 'cont', 'fw_cfg_*', '*', 'fw:*', 'fw_boot', '-fw_boot', 'enable', 'disable', '"',
  "'", '\\', '0', '-1', '99999999999999999999', '${process.exit()}', '__proto__', '\u00e9', '\t',
];

describe('QMP under random requests', () => {
  let fixture: Fixture;
  let client: QmpClient;
  let n = 0;
  beforeAll(async () => {
    fixture = await startFixture('unix');
    client = await fixture.connect();
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  /** Sends `input`, then a good request; returns the replies before the good one, which must come. */
  async function exchange(input: string | Uint8Array): Promise<Record<string, unknown>[]> {
    const id = `good-${n++}`;
    client.sendRaw(input);
    client.sendRaw(`{"execute": "query-version", "id": "${id}"}\n`);
    const seen = await responsesUntil(client, id);
    expect(seen[seen.length - 1]).toHaveProperty('return.qemu');
    return seen.slice(0, -1);
  }

  it('answers every request exactly once, with its id, as a return or an error', async () => {
    const tally = new Tally(PKG, 'QMP: random requests', { caseUnit: 'request', itemUnit: 'replies' });
    const params = fuzzParameters(200);
    tally.seed = params.seed;
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('fw_*', 'fw_cfg_select', 'info status', true, false, 0, -1, 1.5));
    const args = fc.oneof(
      fc.dictionary(fc.constantFrom(...ARG_NAMES), value, { maxKeys: 4 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const id = fc.oneof(fc.string({ maxLength: 8 }).map((s) => `r-${s}`), fc.integer(), fc.jsonValue({ maxDepth: 2 }));
    const pattern = fc.constantFrom('fw_*', '*', 'fw_cfg_select', 'fw_cfg_secret', 'fw:*', 'fw_boot', 'none', '');
    // Requests a client means (with the argument names and types the schema has), then anything at all.
    const meant = fc.oneof(
      fc.record({ execute: fc.constantFrom('query-status', 'query-version', 'query-commands', 'query-trace-sources', 'query-trace-sinks', 'stop', 'cont'), id }),
      fc.record({ execute: fc.constant('trace-event-get-state'), arguments: fc.record({ name: pattern }), id }),
      fc.record({
        execute: fc.constant('trace-event-set-state'),
        arguments: fc.record({ name: pattern, enable: fc.boolean(), 'ignore-unavailable': fc.boolean() }, { requiredKeys: ['name', 'enable'] }),
        id,
      }),
    );
    const anything = fc.record(
      {
        execute: fc.oneof({ arbitrary: fc.constantFrom(...COMMANDS), weight: 4 }, fc.jsonValue({ maxDepth: 1 })),
        arguments: args,
        id,
        control: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: ['execute'] },
    );
    // HMP `q` would end the session as `quit` does.
    const request = fc.oneof(meant, anything, anything).filter((r) => !/"(q|quit)"/.test(JSON.stringify(r)));
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const replies = await exchange(`${JSON.stringify(req)}\n`);
        tally.cases++;
        if (replies.length === 0) tally.uncounted++;
        expect(replies).toHaveLength(1);
        const reply = replies[0]!;
        // QMP echoes the id as it came (JSON.stringify drops an undefined id, and so does the reply).
        if ('id' in req && req.id !== undefined) expect(reply['id']).toEqual(JSON.parse(JSON.stringify(req.id)));
        else expect(reply).not.toHaveProperty('id');
        if ('return' in reply) tally.accepted++;
        else {
          expect(reply).toHaveProperty('error.class');
          expect(typeof (reply['error'] as { desc: unknown }).desc).toBe('string');
          tally.rejected++;
        }
      }),
      params,
    );
    tally.report();
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  }, 120_000);

  it('answers every HMP command line (human-monitor-command) with one return, whatever its words', async () => {
    const tally = new Tally(PKG, 'QMP: random HMP command lines', { caseUnit: 'command line', itemUnit: 'replies' });
    const params = fuzzParameters(200);
    tally.seed = params.seed;
    // Random strings can spell `q` (quit's alias, found by a long run at case 794): it ends the session by design.
    const line = fc
      .array(fc.oneof({ arbitrary: fc.constantFrom(...HMP_WORDS), weight: 5 }, fc.string({ maxLength: 6 })), { maxLength: 5 })
      .map((w) => w.join(' '))
      .filter((l) => !QUIT_LINE.test(l));
    await fc.assert(
      fc.asyncProperty(line, async (commandLine) => {
        const id = `h-${n}`;
        const replies = await exchange(`${JSON.stringify({ execute: 'human-monitor-command', arguments: { 'command-line': commandLine }, id })}\n`);
        tally.cases++;
        if (replies.length === 0) tally.uncounted++;
        expect(replies).toHaveLength(1);
        expect(replies[0]!['id']).toBe(id);
        // HMP reports its own errors as text, as QEMU does; only the transport fails with a QMP error.
        if (typeof replies[0]!['return'] === 'string') tally.accepted++;
        else tally.rejected++;
      }),
      params,
    );
    tally.report();
    expect(tally.accepted).toBeGreaterThan(0);
    expect(fixture.target.runState()).not.toBe('shutdown');
  }, 120_000);

  it('answers garbage only with errors and the next request every time (JSON fragments, bytes, huge strings)', async () => {
    const tally = new Tally(PKG, 'QMP: garbage between requests', { caseUnit: 'garbage input', itemUnit: 'replies' });
    const params = fuzzParameters(120);
    tally.seed = params.seed;
    const unit = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', "'", '\\', 'e', 'x', 'u', '1', '-', '.', ' ', 'null', '"execute"', '\n');
    const garbage = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.concat([b, Buffer.from('\x01\n')])),
      fc.string({ unit, maxLength: 80 }).map((s) => `${s}\x01\n`),
      fc.integer({ min: 1, max: 3 }).map((k) => `{"execute": "${'x'.repeat(k << 20)}"}\n`),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (input) => {
        const replies = await exchange(input);
        tally.cases++;
        for (const reply of replies) {
          expect(reply).toHaveProperty('error.class');
          tally.rejected++;
        }
      }),
      params,
    );
    tally.report();
  }, 120_000);
});
