// The QMP server as a process resource: socket mode, bind policy, several clients, closing, hostile clients.
import { statSync, writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { isTraceError } from '@unitrace/core';
import { afterEach, describe, expect, it } from 'vitest';
import { connectQmp } from '../src/monitor/qmp-client.js';
import { startQmpServer } from '../src/monitor/qmp-server.js';
import { FakeTarget, FakeTraceFile, type Fixture, responsesUntil, startFixture, syncRequest, until } from './monitor-fixture.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixtureFor(...args: Parameters<typeof startFixture>): Promise<Fixture> {
  const fixture = await startFixture(...args);
  cleanups.push(() => fixture.cleanup());
  return fixture;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-qmp-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(isTraceError(err, 'E_MONITOR')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

function rawSocket(fixture: Fixture): Socket {
  const address = fixture.server.address;
  const socket = address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host);
  socket.on('error', () => {});
  return socket;
}

describe('unix socket', () => {
  it('is created with mode 0600 whatever the umask', async () => {
    const previous = isMainThread ? process.umask(0) : undefined;
    try {
      const fixture = await fixtureFor('unix');
      const path = (fixture.server.address as { path: string }).path;
      expect(statSync(path).isSocket()).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
  });

  it('replaces a stale socket but never a live one or another kind of file', async () => {
    const dir = tempDir();
    const path = join(dir, 'qmp.sock');
    const stale = createServer();
    await new Promise<void>((resolve) => stale.listen(path, resolve));
    const target = new FakeTarget();
    expect(await refusal(startQmpServer(target, { unix: path }))).toContain('another server is listening');
    // Closing the server would unlink the path, so leave the file behind as a crashed process does.
    (stale as unknown as { _handle: { close(): void } | null })._handle?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const server = await startQmpServer(target, { unix: path });
    await server.close();

    const file = join(dir, 'plain');
    writeFileSync(file, 'keep me');
    expect(await refusal(startQmpServer(target, { unix: file }))).toContain('exists and is not a socket');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});

describe('TCP bind policy', () => {
  it('refuses addresses beyond loopback unless asked', async () => {
    const target = new FakeTarget();
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'example.com']) {
      expect(await refusal(startQmpServer(target, { tcp: { host, port: 0 } }))).toContain(`refusing to listen on ${host}`);
    }
    const open = await startQmpServer(target, { tcp: { host: '0.0.0.0', port: 0 }, allowNonLoopback: true });
    expect(open.address).toMatchObject({ kind: 'tcp', host: '0.0.0.0' });
    await open.close();
  });

  it('binds 127.0.0.0/8 and pins localhost to 127.0.0.1', async () => {
    const target = new FakeTarget();
    const local = await startQmpServer(target, { tcp: { host: 'localhost', port: 0 } });
    cleanups.push(() => local.close());
    expect(local.address).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    expect((local.address as { port: number }).port).toBeGreaterThan(0);
    const client = await connectQmp(local.address);
    expect(await client.execute('query-status')).toEqual({ status: 'running', running: true });
    await client.close();
  });

  it('needs exactly one endpoint', async () => {
    const target = new FakeTarget();
    expect(await refusal(startQmpServer(target, {}))).toContain('exactly one');
  });
});

describe('clients', () => {
  it('serves several clients at once and sends each of them the events', async () => {
    const fixture = await fixtureFor('tcp');
    const clients = await Promise.all([fixture.connect(), fixture.connect(), fixture.connect()]);
    expect(fixture.server.clientCount).toBe(3);
    await clients[0]!.execute('stop');
    for (const client of clients) expect((await client.nextEvent()).event).toBe('STOP');
    await clients[2]!.execute('trace-event-set-state', { name: 'io_write', enable: true });
    expect(await clients[1]!.execute('trace-event-get-state', { name: 'io_write' })).toEqual([{ name: 'io_write', state: 'enabled' }]);
  });

  it('disconnects clients beyond maxClients at once', async () => {
    const fixture = await fixtureFor('unix', { server: { maxClients: 1 } });
    await fixture.connect();
    await expect(connectQmp(fixture.server.address, { timeoutMs: 2000 })).rejects.toThrow();
  });

  it('closes every client when the server closes', async () => {
    const fixture = await fixtureFor('unix');
    const a = await fixture.connect();
    const b = await fixture.connect();
    await fixture.server.close();
    await Promise.all([a.closed, b.closed]);
    await expect(a.execute('query-status')).rejects.toThrow('QMP connection closed');
    await expect(connectQmp(fixture.server.address)).rejects.toThrow();
  });

  it('answers what a half-closed client sent, then closes', async () => {
    const fixture = await fixtureFor('unix');
    const socket = rawSocket(fixture);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.end('{"execute": "qmp_capabilities"}{"execute": "query-status"}7');
    await new Promise((resolve) => socket.on('close', resolve));
    expect(text.split('\r\n').slice(1)).toEqual([
      '{"return": {}}',
      '{"return": {"status": "running", "running": true}}',
      '{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}',
      '',
    ]);
  });
});

describe('hostile clients', () => {
  it('survives a client that disconnects in the middle of a command', async () => {
    const file = new FakeTraceFile();
    let release!: () => void;
    file.flushGate = new Promise((resolve) => (release = resolve));
    const fixture = await fixtureFor('unix', { target: new FakeTarget({ traceFile: file }) });
    const socket = rawSocket(fixture);
    socket.write('{"execute": "qmp_capabilities"}{"execute": "human-monitor-command", "arguments": {"command-line": "trace-file flush"}}');
    await until(() => file.flushCalls === 1);
    socket.destroy();
    // The server reads nothing while a command runs, so it notices the hang-up once the flush is over.
    release();
    await until(() => file.flushes === 1 && fixture.server.clientCount === 0);
    const client = await fixture.connect();
    expect(await client.execute('query-status')).toEqual({ status: 'running', running: true });
    expect(fixture.server.clientCount).toBe(1);
  });

  it('survives a flood of random bytes and still answers the same client after a resync', async () => {
    const fixture = await fixtureFor('tcp');
    const client = await fixture.connect();
    let seed = 12345;
    const garbage = new Uint8Array(256 << 10).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    client.sendRaw(garbage);
    client.sendRaw('\x01\n');
    client.sendRaw(syncRequest('after-garbage'));
    const seen = await responsesUntil(client, 'after-garbage', 20000);
    expect(seen.slice(0, -1).every((r) => 'error' in r)).toBe(true);
    expect(seen[seen.length - 1]).toEqual({ return: { status: 'running', running: true }, id: 'after-garbage' });
  }, 30000);

  it('drops a client that stops reading while events pile up, and keeps serving the others', async () => {
    const fixture = await fixtureFor('unix', { server: { maxOutputBytes: 4096 } });
    const reader = await fixture.connect();
    const socket = rawSocket(fixture);
    let received = '';
    const onData = (chunk: Buffer): void => {
      received += chunk.toString('latin1');
    };
    socket.on('data', onData);
    socket.write('{"execute": "qmp_capabilities"}');
    await until(() => received.includes('{"return": {}}'));
    socket.off('data', onData);
    socket.pause();
    const closed = new Promise((resolve) => socket.on('close', resolve));
    // A few events at a time, so the client that reads keeps up while the other one's buffers fill.
    let toggles = 0;
    while (fixture.server.clientCount === 2 && toggles < 200000) {
      fixture.target.set(toggles % 2 === 0 ? 'paused' : 'running');
      toggles++;
      if (toggles % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(fixture.server.clientCount).toBe(1);
    // A paused socket only notices the server's close once it reads again.
    socket.resume();
    await closed;
    expect(reader.pendingEvents.length).toBeGreaterThan(0);
    expect(await reader.execute('query-status')).toMatchObject({ status: expect.any(String) });
  }, 30000);
});
