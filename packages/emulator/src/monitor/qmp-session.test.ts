// The QMP conversation without a socket: request checks in QEMU's order, and replies only after the work is done.
import { describe, expect, it } from 'vitest';
import { FakeTarget } from '../../test/monitor-fixture.js';
import { HmpEngine } from './hmp.js';
import { JsonStream } from './json-stream.js';
import { QmpSession } from './qmp-session.js';
import { DEFAULT_MONITOR_VERSION } from './version.js';

function session(target = new FakeTarget()): { sent: string[]; run: (text: string) => Promise<string[]>; target: FakeTarget } {
  const sent: string[] = [];
  const qmp = new QmpSession({ target, hmp: new HmpEngine(target, DEFAULT_MONITOR_VERSION), version: DEFAULT_MONITOR_VERSION, send: (l) => sent.push(l) });
  const run = async (text: string): Promise<string[]> => {
    const from = sent.length;
    const stream = new JsonStream();
    stream.push(Buffer.from(text));
    for (let item = stream.next(); item; item = stream.next()) await qmp.handle(item);
    return sent.slice(from);
  };
  return { sent, run, target };
}

describe('QmpSession', () => {
  it('finishes a state change, listeners included, before the reply is sent', async () => {
    const { sent, run, target } = session();
    await run('{"execute": "qmp_capabilities"}');
    const seenAtChange: number[] = [];
    target.registry.onChange(() => seenAtChange.push(sent.length));
    const before = sent.length;
    const replies = await run('{"execute": "trace-event-set-state", "arguments": {"name": "fw_cfg_*", "enable": true, "ignore-unavailable": true}}');
    expect(replies).toEqual(['{"return": {}}']);
    // The listener ran while nothing had been sent for this request yet.
    expect(seenAtChange).toEqual([before]);
  });

  it('sends quit\'s reply before the target quits, so SHUTDOWN follows the reply', async () => {
    const { sent, run, target } = session();
    await run('{"execute": "qmp_capabilities"}');
    const sentAtQuit: number[] = [];
    target.onStateChange(() => sentAtQuit.push(sent.length));
    const before = sent.length;
    await run('{"execute": "quit", "id": 7}');
    expect(sent.slice(before)).toEqual(['{"return": {}, "id": 7}']);
    expect(sentAtQuit).toEqual([before + 1]);
    expect(target.runState()).toBe('shutdown');
  });

  it('checks request members in order: the first fault wins', async () => {
    const { run } = session();
    await run('{"execute": "qmp_capabilities"}');
    expect(await run('{"id": 1, "bogus": 2, "execute": 3}')).toEqual([
      '{"id": 1, "error": {"class": "GenericError", "desc": "QMP input member \'bogus\' is unexpected"}}',
    ]);
    expect(await run('{"execute": 3, "bogus": 2}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "QMP input member \'execute\' must be a string"}}',
    ]);
    expect(await run('{"arguments": []}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "QMP input member \'arguments\' must be an object"}}',
    ]);
  });

  it('takes exec-oob only once oob is negotiated, and then refuses it for in-band commands', async () => {
    const plain = session();
    await plain.run('{"execute": "qmp_capabilities"}');
    expect(await plain.run('{"exec-oob": "query-status"}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "QMP input member \'exec-oob\' is unexpected"}}',
    ]);
    const oob = session();
    expect(await oob.run('{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}')).toEqual(['{"return": {}}']);
    expect(await oob.run('{"exec-oob": "query-status"}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "The command query-status does not support OOB"}}',
    ]);
    expect(await oob.run('{"exec-oob": "query-status", "execute": "query-status"}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "QMP input member \'execute\' clashes with \'exec-oob\'"}}',
    ]);
  });

  it('refuses capabilities it does not offer, naming the list element', async () => {
    const { run } = session();
    expect(await run('{"execute": "qmp_capabilities", "arguments": {"enable": ["oob", "warp"]}}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "Parameter \'enable[1]\' does not accept value \'warp\'"}}',
    ]);
    expect(await run('{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}}')).toEqual([
      '{"error": {"class": "GenericError", "desc": "Invalid parameter type for \'enable\', expected: array"}}',
    ]);
  });

  it('answers a bug in a handler with a GenericError and reports it', async () => {
    const target = new FakeTarget();
    target.traceSources = () => {
      throw new RangeError('boom');
    };
    const errors: unknown[] = [];
    const sent: string[] = [];
    const qmp = new QmpSession({
      target,
      hmp: new HmpEngine(target, DEFAULT_MONITOR_VERSION),
      version: DEFAULT_MONITOR_VERSION,
      send: (l) => sent.push(l),
      onInternalError: (e) => errors.push(e),
    });
    await qmp.handle({ kind: 'value', value: Object.assign(Object.create(null), { execute: 'qmp_capabilities' }) });
    await qmp.handle({ kind: 'value', value: Object.assign(Object.create(null), { execute: 'query-trace-sources', id: 'x' }) });
    expect(sent[1]).toBe('{"id": "x", "error": {"class": "GenericError", "desc": "internal error: boom"}}');
    expect(errors).toHaveLength(1);
  });
});
