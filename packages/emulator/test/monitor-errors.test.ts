// Misbehaving QMP input over real sockets: each fault gets its error, and the next good command still works.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QmpClient } from '../src/monitor/qmp-client.js';
import { type Fixture, responsesUntil, startFixture, syncRequest, TRANSPORTS } from './monitor-fixture.js';

const GOOD = { return: { status: 'running', running: true } };

describe.each(TRANSPORTS)('QMP input errors over %s', (transport) => {
  let fixture: Fixture;
  let client: QmpClient;
  let n = 0;
  beforeEach(async () => {
    fixture = await startFixture(transport);
    client = await fixture.connect();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  /** Sends `input` then a good request; returns the replies before the good one, and checks the good one. */
  async function repliesTo(input: string | Uint8Array): Promise<unknown[]> {
    const id = `sync-${n++}`;
    client.sendRaw(input);
    client.sendRaw(syncRequest(id));
    const seen = await responsesUntil(client, id);
    expect(seen[seen.length - 1]).toEqual({ ...GOOD, id });
    return seen.slice(0, -1);
  }
  const generic = (desc: string): unknown => ({ error: { class: 'GenericError', desc } });

  it('malformed JSON', async () => {
    expect(await repliesTo('{"execute": }')).toEqual([generic('JSON parse error, expecting value')]);
    expect(await repliesTo('{"execute" "x"}')).toEqual([generic("JSON parse error, expecting ':'")]);
    expect(await repliesTo('{"execute": tru}')).toEqual([generic("JSON parse error, invalid keyword 'tru'")]);
  });

  it('bytes no JSON token can start with', async () => {
    expect(await repliesTo('@')).toEqual([generic("JSON parse error, stray '@'")]);
    expect(await repliesTo('{"execute": "stop"\x01\n')).toEqual([generic("JSON parse error, stray '\x01'")]);
    expect(fixture.target.runState()).toBe('running');
  });

  it('requests that are not objects', async () => {
    expect(await repliesTo('[1, 2]')).toEqual([generic('QMP input must be a JSON object')]);
    expect(await repliesTo('42\n')).toEqual([generic('QMP input must be a JSON object')]);
    expect(await repliesTo('"query-status"')).toEqual([generic('QMP input must be a JSON object')]);
  });

  it('objects that are not requests', async () => {
    expect(await repliesTo('{"arguments": {}}')).toEqual([generic("QMP input lacks member 'execute'")]);
    expect(await repliesTo('{"execute": ["stop"], "id": 3}')).toEqual([{ id: 3, ...(generic("QMP input member 'execute' must be a string") as object) }]);
    expect(await repliesTo('{"execute": "stop", "arguments": 1}')).toEqual([generic("QMP input member 'arguments' must be an object")]);
    expect(await repliesTo('{"execute": "stop", "extra": 1}')).toEqual([generic("QMP input member 'extra' is unexpected")]);
    expect(fixture.target.runState()).toBe('running');
  });

  it('unknown commands and bad arguments', async () => {
    expect(await repliesTo('{"execute": "foo", "id": "f"}')).toEqual([
      { id: 'f', error: { class: 'CommandNotFound', desc: 'The command foo has not been found' } },
    ]);
    expect(await repliesTo('{"execute": "stop", "arguments": {"x": 1}}')).toEqual([generic("Parameter 'x' is unexpected")]);
    expect(await repliesTo('{"execute": "trace-event-get-state", "arguments": {"name": true}}')).toEqual([
      generic("Invalid parameter type for 'name', expected: string"),
    ]);
    expect(await repliesTo('{"execute": "human-monitor-command", "arguments": {"command-line": "info status", "cpu-index": 0.0}}')).toEqual([
      generic("Invalid parameter type for 'cpu-index', expected: integer"),
    ]);
    expect(fixture.target.runState()).toBe('running');
  });

  it('a request beyond 1 MiB: one error, nothing kept, the next request works', async () => {
    const big = `{"execute": "trace-event-get-state", "arguments": {"name": "${'a'.repeat(2 << 20)}"}}`;
    expect(await repliesTo(big)).toEqual([generic('JSON token size limit exceeded')]);
  });

  it('an unterminated string beyond 1 MiB: the size error, then the newline inside it resynchronises', async () => {
    const open = `{"execute": "x", "arguments": {"a": "${'b'.repeat(3 << 19)}`;
    expect(await repliesTo(`${open}\n`)).toEqual([generic('JSON token size limit exceeded'), generic("JSON parse error, stray '\n'")]);
  });

  it('nesting beyond 1024 levels', async () => {
    expect(await repliesTo(`${'['.repeat(2000)}${']'.repeat(2000)}`)).toEqual([generic('JSON nesting depth limit exceeded')]);
  });

  it('single-quoted requests, a QEMU extension, are requests', async () => {
    expect(await repliesTo("{'execute': 'trace-event-get-state', 'arguments': {'name': 'io_write'}, 'id': 'q'}")).toEqual([
      { return: [{ name: 'io_write', state: 'disabled' }], id: 'q' },
    ]);
  });
});
