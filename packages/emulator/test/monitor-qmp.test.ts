// QMP over a real unix socket and real loopback TCP: greeting, negotiation, the trace commands (spec §4.4), events.
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QmpError } from '../src/monitor/qmp-client.js';
import { FakeTarget, type Fixture, responsesUntil, startFixture, TRANSPORTS } from './monitor-fixture.js';

/** The first `count` raw lines the server sends on a fresh connection, after writing `input`. */
function rawLines(fixture: Fixture, input: string, count: number): Promise<string[]> {
  const address = fixture.server.address;
  return new Promise((resolve, reject) => {
    const socket = address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\r\n');
      if (lines.length > count) {
        socket.destroy();
        resolve(lines.slice(0, count));
      }
    });
    socket.write(input);
  });
}

async function qmpError(promise: Promise<unknown>): Promise<{ errorClass: string; desc: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof QmpError) return { errorClass: err.errorClass, desc: err.message };
    throw err;
  }
  throw new Error('expected a QMP error');
}

describe.each(TRANSPORTS)('QMP over %s', (transport) => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture(transport);
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  describe('greeting and negotiation', () => {
    it('greets with QEMU\'s shape, our package name, and \\r\\n line ends', async () => {
      const [greeting] = await rawLines(fixture, '', 1);
      expect(greeting).toBe(
        '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 10}, "package": "unitrace-0.1.0"}, "capabilities": ["oob"]}}',
      );
    });

    it('allows only qmp_capabilities before negotiation, known command or not', async () => {
      const client = await fixture.connect(false);
      const expecting = { errorClass: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" };
      expect(await qmpError(client.execute('query-status'))).toEqual(expecting);
      expect(await qmpError(client.execute('no-such-command'))).toEqual(expecting);
      expect(await client.execute('qmp_capabilities')).toEqual({});
      expect(await client.execute('query-status')).toEqual({ status: 'running', running: true });
      expect(await qmpError(client.execute('qmp_capabilities'))).toEqual({
        errorClass: 'CommandNotFound',
        desc: 'Capabilities negotiation is already complete, command ignored',
      });
    });

    it('echoes any id, on replies and on errors, in QEMU\'s member order', async () => {
      const lines = await rawLines(
        fixture,
        '{"execute": "qmp_capabilities", "id": "a"}{"execute": "nope", "id": {"n": [1, 2.5]}}{"execute": "query-status", "id": null}',
        4,
      );
      expect(lines.slice(1)).toEqual([
        '{"return": {}, "id": "a"}',
        '{"id": {"n": [1, 2.5]}, "error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}}',
        '{"return": {"status": "running", "running": true}, "id": null}',
      ]);
    });

    it('sends no events before negotiation', async () => {
      const early = await fixture.connect(false);
      const client = await fixture.connect();
      await client.execute('stop');
      await client.nextEvent('STOP');
      await early.execute('qmp_capabilities');
      await early.execute('cont');
      expect((await early.nextEvent()).event).toBe('RESUME');
      expect(early.pendingEvents).toEqual([]);
    });
  });

  describe('trace-event-get-state', () => {
    it('returns one element for an exact name', async () => {
      const client = await fixture.connect();
      expect(await client.execute('trace-event-get-state', { name: 'io_write' })).toEqual([{ name: 'io_write', state: 'disabled' }]);
      expect(await client.execute('trace-event-get-state', { name: 'fw_cfg_secret' })).toEqual([{ name: 'fw_cfg_secret', state: 'unavailable' }]);
    });

    it('returns every match of a pattern in reverse catalog order', async () => {
      const client = await fixture.connect();
      fixture.target.registry.applyState('fw_cfg_read', true);
      expect(await client.execute('trace-event-get-state', { name: 'fw_cfg_*' })).toEqual([
        { name: 'fw_cfg_secret', state: 'unavailable' },
        { name: 'fw_cfg_read', state: 'enabled' },
        { name: 'fw_cfg_select', state: 'disabled' },
      ]);
      expect(await client.execute('trace-event-get-state', { name: 'zzz*' })).toEqual([]);
    });

    it('refuses an unknown exact name, `?` or not, since only `*` makes a pattern', async () => {
      const client = await fixture.connect();
      expect(await qmpError(client.execute('trace-event-get-state', { name: 'nope' }))).toEqual({
        errorClass: 'GenericError',
        desc: 'unknown event "nope"',
      });
      expect((await qmpError(client.execute('trace-event-get-state', { name: 'io_writ?' }))).desc).toBe('unknown event "io_writ?"');
    });

    it('rejects vcpu (removed in 9.1), wrong types and missing names', async () => {
      const client = await fixture.connect();
      expect((await qmpError(client.execute('trace-event-get-state', { name: 'io_write', vcpu: 0 }))).desc).toBe("Parameter 'vcpu' is unexpected");
      expect((await qmpError(client.execute('trace-event-get-state', { name: 1 }))).desc).toBe(
        "Invalid parameter type for 'name', expected: string",
      );
      expect((await qmpError(client.execute('trace-event-get-state', {}))).desc).toBe("Parameter 'name' is missing");
    });
  });

  describe('trace-event-set-state', () => {
    const stateOf = (name: string): string => fixture.target.registry.queryState(name)[0]!.state;

    it('switches an exact name and the registry bit the tracer reads', async () => {
      const client = await fixture.connect();
      expect(await client.execute('trace-event-set-state', { name: 'fw_boot', enable: true })).toEqual({});
      const ref = fixture.target.registry.lookup('fw_boot')!;
      expect(fixture.target.registry.state[ref.index]).toBe(1);
      expect(await client.execute('trace-event-set-state', { name: 'fw_boot', enable: false })).toEqual({});
      expect(fixture.target.registry.state[ref.index]).toBe(0);
    });

    it('refuses an unavailable event unless ignore-unavailable, which then changes nothing', async () => {
      const client = await fixture.connect();
      expect(await qmpError(client.execute('trace-event-set-state', { name: 'fw_cfg_secret', enable: true }))).toEqual({
        errorClass: 'GenericError',
        desc: 'event "fw_cfg_secret" is disabled',
      });
      expect(await client.execute('trace-event-set-state', { name: 'fw_cfg_secret', enable: true, 'ignore-unavailable': true })).toEqual({});
      expect(stateOf('fw_cfg_secret')).toBe('unavailable');
    });

    it('changes nothing when a pattern matches an unavailable event without ignore-unavailable', async () => {
      const client = await fixture.connect();
      expect((await qmpError(client.execute('trace-event-set-state', { name: 'fw_cfg_*', enable: true }))).desc).toBe(
        'event "fw_cfg_secret" is disabled',
      );
      expect([stateOf('fw_cfg_read'), stateOf('fw_cfg_select')]).toEqual(['disabled', 'disabled']);
      await client.execute('trace-event-set-state', { name: 'fw_cfg_*', enable: true, 'ignore-unavailable': true });
      expect([stateOf('fw_cfg_read'), stateOf('fw_cfg_select'), stateOf('fw_cfg_secret')]).toEqual(['enabled', 'enabled', 'unavailable']);
    });

    it('refuses unknown names, vcpu, wrong types and missing members', async () => {
      const client = await fixture.connect();
      const desc = async (args: Record<string, unknown>): Promise<string> =>
        (await qmpError(client.execute('trace-event-set-state', args))).desc;
      expect(await desc({ name: 'nope', enable: true })).toBe('unknown event "nope"');
      expect(await desc({ name: 'io_write', enable: true, vcpu: 0 })).toBe("Parameter 'vcpu' is unexpected");
      expect(await desc({ name: 'io_write', enable: 'yes' })).toBe("Invalid parameter type for 'enable', expected: boolean");
      expect(await desc({ name: 'io_write' })).toBe("Parameter 'enable' is missing");
      expect(await desc({ name: 'io_write', enable: true, 'ignore-unavailable': 1 })).toBe(
        "Invalid parameter type for 'ignore-unavailable', expected: boolean",
      );
    });
  });

  describe('run state and events', () => {
    it('reports query-status without the removed singlestep member', async () => {
      const client = await fixture.connect();
      const status = (await client.execute('query-status')) as Record<string, unknown>;
      expect(Object.keys(status).sort()).toEqual(['running', 'status']);
    });

    it('sends STOP before stop\'s reply and RESUME before cont\'s, as QEMU\'s vm_stop/vm_start do', async () => {
      const lines = await rawLines(fixture, '{"execute": "qmp_capabilities"}\n{"execute": "stop"}\n{"execute": "cont"}\n', 6);
      expect(lines.slice(2).map((l) => l.replace(/"seconds": \d+, "microseconds": \d+/, 'T'))).toEqual([
        '{"timestamp": {T}, "event": "STOP"}',
        '{"return": {}}',
        '{"timestamp": {T}, "event": "RESUME"}',
        '{"return": {}}',
      ]);
    });

    it('stamps events with the wall clock', async () => {
      const client = await fixture.connect();
      const before = Date.now();
      await client.execute('stop');
      const { timestamp } = await client.nextEvent('STOP');
      const ms = timestamp.seconds * 1000 + timestamp.microseconds / 1000;
      expect(timestamp.microseconds).toBeLessThan(1e6);
      expect(ms).toBeGreaterThanOrEqual(before - 1);
      expect(ms).toBeLessThanOrEqual(Date.now() + 1);
    });

    it('refuses cont after shutdown with the target\'s message', async () => {
      const client = await fixture.connect();
      fixture.target.set('shutdown', 'guest-shutdown');
      expect(await client.nextEvent('SHUTDOWN')).toMatchObject({ data: { guest: true, reason: 'guest-shutdown' } });
      expect(await qmpError(client.execute('cont'))).toEqual({ errorClass: 'GenericError', desc: 'Resetting the Virtual Machine is required' });
    });

    it('answers quit, then sends SHUTDOWN, then closes every client and the server', async () => {
      const other = await fixture.connect();
      const lines = await rawLines(fixture, '{"execute": "qmp_capabilities"}{"execute": "quit", "id": 1}', 4);
      expect(lines[2]).toBe('{"return": {}, "id": 1}');
      expect(JSON.parse(lines[3]!)).toMatchObject({ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit' } });
      expect(await other.nextEvent('SHUTDOWN')).toMatchObject({ data: { guest: false, reason: 'host-qmp-quit' } });
      await other.closed;
      await expect(fixture.connect()).rejects.toThrow();
    });
  });

  describe('informational commands', () => {
    it('lists every command, reports the version and the trace sources', async () => {
      const client = await fixture.connect();
      const names = ((await client.execute('query-commands')) as Array<{ name: string }>).map((c) => c.name);
      expect(names.sort()).toEqual(
        [
          'cont',
          'human-monitor-command',
          'qmp_capabilities',
          'query-commands',
          'query-status',
          'query-trace-sinks',
          'query-trace-sources',
          'query-version',
          'quit',
          'stop',
          'trace-event-get-state',
          'trace-event-set-state',
        ].sort(),
      );
      expect(await client.execute('query-version')).toEqual({ qemu: { micro: 0, minor: 2, major: 10 }, package: 'unitrace-0.1.0' });
      const sources = (await client.execute('query-trace-sources')) as Array<Record<string, unknown>>;
      expect(sources[1]).toEqual({
        name: 'fw',
        kind: 'guest',
        'first-id': '0x8000000000000000',
        'last-id': '0x8000000000000001',
        count: 2,
        handshake: 'none',
        'host-hash': fixture.target.registry.sources[1]!.hash,
        losses: { 'guest-buffer': 0, rejected: 0, 'sequence-gaps': 0, 'gap-records': 0 },
      });
    });

    it('lists the trace sinks with their counters, and refuses when the machine does not report them', async () => {
      const client = await fixture.connect();
      await expect(client.execute('query-trace-sinks')).rejects.toThrow('this machine does not report its trace sinks');
      const sinks = [
        { name: 'simple', delivered: 10, lost: 0, failures: 0, own: { records: 10, dropped: 3, bytes: 480, errors: 1 } },
        { name: 'broken', delivered: 5, lost: 5, failures: 2, own: undefined },
      ];
      const other = await startFixture(transport, { target: new FakeTarget({ sinks }) });
      try {
        const c = await other.connect();
        expect(await c.execute('query-trace-sinks')).toEqual([
          { name: 'simple', delivered: 10, lost: 0, failures: 0, stats: { records: 10, dropped: 3, bytes: 480, errors: 1 } },
          { name: 'broken', delivered: 5, lost: 5, failures: 2 },
        ]);
        other.target.sinks = [];
        expect(await c.execute('query-trace-sinks')).toEqual([]);
      } finally {
        await other.cleanup();
      }
    });

    it('renders what the machine reports about a guest handshake', async () => {
      const client = await fixture.connect();
      fixture.target.sources[1] = {
        ...fixture.target.sources[1]!,
        handshake: 'mapped-by-name',
        guestHash: 'ab'.repeat(32),
        channel: 'fw_cfg',
        records: 12,
        unknownEvents: ['fw_new'],
        losses: { guestBuffer: 1, rejected: 2, sequenceGaps: 3, gapRecords: 4 },
      };
      const [, fw] = (await client.execute('query-trace-sources')) as Array<Record<string, unknown>>;
      expect(fw).toMatchObject({
        handshake: 'mapped-by-name',
        'guest-hash': 'ab'.repeat(32),
        channel: 'fw_cfg',
        records: 12,
        'unknown-events': ['fw_new'],
        losses: { 'guest-buffer': 1, rejected: 2, 'sequence-gaps': 3, 'gap-records': 4 },
      });
    });
  });

  it('keeps answering in order when requests arrive in one burst', async () => {
    const client = await fixture.connect();
    const burst = Array.from({ length: 200 }, (_, i) => `{"execute": "query-status", "id": "b${i}"}`).join('');
    client.sendRaw(burst);
    const seen = await responsesUntil(client, 'b199');
    expect(seen.map((r) => r['id'])).toEqual(Array.from({ length: 200 }, (_, i) => `b${i}`));
  });
});
