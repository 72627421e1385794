// Random input on a live QMP socket: every JSON value gets exactly one error, random bytes get only errors, and
// the server answers the next good request either way.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QmpClient } from '../src/monitor/qmp-client.js';
import { type Fixture, responsesUntil, startFixture, syncRequest } from './monitor-fixture.js';

describe('QMP under random input', () => {
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

  async function exchange(input: string | Uint8Array): Promise<Record<string, unknown>[]> {
    const id = `sync-${n++}`;
    client.sendRaw(input);
    client.sendRaw(syncRequest(id));
    const seen = await responsesUntil(client, id);
    expect(seen[seen.length - 1]).toEqual({ return: { status: 'running', running: true }, id });
    return seen.slice(0, -1);
  }

  it('answers any JSON value that is not a request with exactly one error', async () => {
    const notARequest = fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('execute' in v));
    await fc.assert(
      fc.asyncProperty(notARequest, async (value) => {
        // The newline ends a bare number; QMP's framing is by brackets, not lines.
        const replies = await exchange(`${JSON.stringify(value)}\n`);
        expect(replies).toHaveLength(1);
        expect(replies[0]).toHaveProperty('error.class', 'GenericError');
      }),
      { numRuns: 150 },
    );
  });

  it('answers random bytes only with errors, at most two per byte, and resynchronises on \\x01\\n', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const replies = await exchange(Buffer.concat([bytes, Buffer.from('\x01\n')]));
        expect(replies.length).toBeGreaterThanOrEqual(1);
        expect(replies.length).toBeLessThanOrEqual(2 * (bytes.length + 2));
        for (const reply of replies) expect(reply).toHaveProperty('error.class');
      }),
      { numRuns: 150 },
    );
    expect(fixture.target.runState()).toBe('running');
  });

  it('answers random text built from JSON\'s own characters the same way', async () => {
    const unit = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', "'", '\\', 'e', 'x', 'u', '1', '-', '.', ' ', 'n', 'true');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit, maxLength: 60 }), async (text) => {
        const replies = await exchange(`${text}\x01\n`);
        for (const reply of replies) expect(reply).toHaveProperty('error.class');
      }),
      { numRuns: 200 },
    );
  });
});
