// Test doubles for the monitor: a machine made of a real core registry, a fake trace file, and server helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalogFromText, createRegistry, type Registry, TraceError } from '@unitrace/core';
import { connectQmp, type QmpClient } from '../src/monitor/qmp-client.js';
import { type QmpServer, type QmpServerOptions, startQmpServer } from '../src/monitor/qmp-server.js';
import {
  type MonitorTarget,
  registrySources,
  type RunState,
  type RunStateChange,
  type ShutdownCause,
  type TraceFileControl,
  type TraceSinkStatus,
  type TraceSourceStatus,
} from '../src/monitor/target.js';

/** Host catalog: four events, one of them `disable`d, then a guest source `fw` of two events. */
export const HOST_EVENTS = `# host events
fw_cfg_select(uint16_t key) "key 0x%x"
fw_cfg_read(uint16_t key, uint64_t value) "key 0x%x value 0x%" PRIx64
disable fw_cfg_secret(void) ""
io_write(uint16_t port, uint32_t value) "port 0x%x value 0x%x"
include "fw/trace-events" as fw
`;
export const GUEST_EVENTS = `fw_boot(void) ""
fw_step(int n) "step %d"
`;

/** A registry over HOST_EVENTS and GUEST_EVENTS, read from memory. */
export function fixtureRegistry(): Registry {
  const files: Record<string, string> = { [resolve('mem/fw/trace-events')]: GUEST_EVENTS };
  const catalog = catalogFromText(HOST_EVENTS, 'mem/trace-events', {
    readFile: (abs) => {
      const text = files[abs];
      if (text === undefined) throw new Error(`no file ${abs}`);
      return text;
    },
  });
  return createRegistry(catalog);
}

/** The simple backend's trace-file controls, in memory; `flushGate` lets a test hold a flush open. */
export class FakeTraceFile implements TraceFileControl {
  name = 'trace-4242';
  on = false;
  flushes = 0;
  flushCalls = 0;
  flushGate: Promise<void> | undefined;
  failNext: string | undefined;

  traceFile(): { name: string; on: boolean } {
    return { name: this.name, on: this.on };
  }
  setTraceFileEnabled(on: boolean): void {
    this.#maybeFail();
    this.on = on;
  }
  setTraceFile(name: string): void {
    this.#maybeFail();
    this.name = name;
  }
  async flush(): Promise<void> {
    this.flushCalls++;
    await this.flushGate;
    this.flushes++;
  }
  #maybeFail(): void {
    const message = this.failNext;
    this.failNext = undefined;
    if (message !== undefined) throw new TraceError('E_IO', message);
  }
}

/** A machine as the monitor sees it, with QEMU's run-state rules for stop, cont and quit. */
export class FakeTarget implements MonitorTarget {
  readonly registry: Registry;
  readonly traceFile: TraceFileControl | undefined;
  readonly changes: RunStateChange[] = [];
  sources: TraceSourceStatus[];
  /** What `traceSinks` reports; the method exists only when the target was made with sinks. */
  sinks: TraceSinkStatus[];
  readonly traceSinks?: () => readonly TraceSinkStatus[];
  #state: RunState;
  #listeners = new Set<(change: RunStateChange) => void>();

  constructor(options: { state?: RunState; traceFile?: TraceFileControl; sinks?: TraceSinkStatus[] } = {}) {
    this.registry = fixtureRegistry();
    this.traceFile = options.traceFile;
    this.sinks = options.sinks ?? [];
    if (options.sinks !== undefined) this.traceSinks = () => this.sinks;
    this.#state = options.state ?? 'running';
    this.sources = registrySources(this.registry);
  }

  runState(): RunState {
    return this.#state;
  }
  stop(): void {
    if (this.#state === 'running' || this.#state === 'prelaunch') this.set('paused');
  }
  cont(): void {
    if (this.#state === 'shutdown' || this.#state === 'internal-error') {
      throw new TraceError('E_STATE', 'Resetting the Virtual Machine is required');
    }
    this.set('running');
  }
  quit(): void {
    this.set('shutdown', 'host-qmp-quit');
  }
  onStateChange(listener: (change: RunStateChange) => void): () => void {
    const own = (change: RunStateChange): void => listener(change);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }
  traceSources(): readonly TraceSourceStatus[] {
    return this.sources;
  }
  /** Moves to `to`, telling listeners synchronously as QEMU's vm_stop/vm_start do before returning. */
  set(to: RunState, cause?: ShutdownCause): void {
    const change: RunStateChange = { from: this.#state, to, ...(cause ? { cause } : {}) };
    this.#state = to;
    this.changes.push(change);
    for (const listener of this.#listeners) listener(change);
  }
}

/** The two transports every protocol test runs over. */
export type Transport = 'unix' | 'tcp';
export const TRANSPORTS: readonly Transport[] = ['unix', 'tcp'];

/** A server on a fresh temp-dir unix socket or on 127.0.0.1 port 0, and a cleanup. */
export interface Fixture {
  readonly target: FakeTarget;
  readonly server: QmpServer;
  readonly dir: string;
  connect(negotiate?: boolean): Promise<QmpClient>;
  cleanup(): Promise<void>;
}

/** Starts a server for a new FakeTarget (or `target`) over `transport`. */
export async function startFixture(
  transport: Transport,
  options: { target?: FakeTarget; server?: Partial<QmpServerOptions> } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'unitrace-qmp-'));
  const target = options.target ?? new FakeTarget({ traceFile: new FakeTraceFile() });
  const where: QmpServerOptions = transport === 'unix' ? { unix: join(dir, 'qmp.sock') } : { tcp: { host: '127.0.0.1', port: 0 } };
  const server = await startQmpServer(target, { ...where, ...options.server });
  const clients: QmpClient[] = [];
  return {
    target,
    server,
    dir,
    async connect(negotiate = true) {
      const client = await connectQmp(server.address, { negotiate });
      clients.push(client);
      return client;
    },
    async cleanup() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Responses read until (and including) the one whose id is `id`; fails on timeout. */
export async function responsesUntil(client: QmpClient, id: string, timeoutMs = 5000): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  for (;;) {
    const response = await client.nextResponse(timeoutMs);
    seen.push(response);
    if (response['id'] === id) return seen;
  }
}

/** A raw request line with an id, for `responsesUntil`. */
export function syncRequest(id: string): string {
  return `{"execute": "query-status", "id": "${id}"}\n`;
}

/** Resolves once `condition()` holds, polling; rejects after `timeoutMs`. For waiting on the server's side. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
