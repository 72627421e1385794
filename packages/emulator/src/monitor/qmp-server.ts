// The QMP server: listens on a unix socket or loopback TCP, serves several clients, broadcasts events.
import { createServer, type Server, type Socket } from 'node:net';
import { TraceError } from '@unitrace/core';
import { HmpEngine } from './hmp.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './json-stream.js';
import { bindHost, isLoopbackHost, type MonitorAddress } from './monitor-address.js';
import { QmpConnection } from './qmp-connection.js';
import { eventJson, eventsFor, qmpNow } from './qmp-events.js';
import { QmpSession } from './qmp-session.js';
import type { MonitorTarget, RunStateChange } from './target.js';
import { listenUnix } from './unix-socket.js';
import { DEFAULT_MONITOR_VERSION, type MonitorVersion } from './version.js';

/** Options of `startQmpServer`: exactly one of `unix` and `tcp`. */
export interface QmpServerOptions {
  /** Path of a unix socket to create (mode 0600). */
  readonly unix?: string;
  /** TCP endpoint; port 0 picks a free port. Only loopback hosts unless `allowNonLoopback`. */
  readonly tcp?: { readonly host: string; readonly port: number };
  /** Allows a TCP bind beyond loopback. QMP has no authentication: anyone who connects controls the machine. */
  readonly allowNonLoopback?: boolean;
  /** What the greeting and query-version report (default DEFAULT_MONITOR_VERSION). */
  readonly version?: MonitorVersion;
  /** Bound on one request in bytes (default 1 MiB). */
  readonly maxMessageBytes?: number;
  /** Most clients at once (default 16); more are disconnected at once. */
  readonly maxClients?: number;
  /** Unsent output per client beyond which that client is dropped (default 8 MiB). */
  readonly maxOutputBytes?: number;
  /** Told about bugs surfacing while serving (a handler or the target threw something that is not a TraceError). */
  readonly onInternalError?: (err: unknown) => void;
}

/** A running QMP server. */
export interface QmpServer {
  /** Where it listens (the TCP port is the real one when 0 was asked). */
  readonly address: MonitorAddress;
  /** Number of connected clients. */
  readonly clientCount: number;
  /** Stops listening and ends every client after its pending output. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a QMP server for `target`. Each client gets the greeting, negotiates capabilities, and from then on
 * receives STOP/RESUME/SHUTDOWN events. After a SHUTDOWN caused by `quit` (any monitor's), the server sends the
 * event and closes itself, as QEMU's exit does. Throws TraceError E_MONITOR when it cannot listen, or when asked
 * for a non-loopback TCP address without `allowNonLoopback`.
 */
export async function startQmpServer(target: MonitorTarget, options: QmpServerOptions): Promise<QmpServer> {
  if ((options.unix === undefined) === (options.tcp === undefined)) {
    throw new TraceError('E_MONITOR', 'a QMP server needs exactly one of a unix socket path and a TCP address');
  }
  if (options.tcp && !options.allowNonLoopback && !isLoopbackHost(options.tcp.host)) {
    throw new TraceError(
      'E_MONITOR',
      `refusing to listen on ${options.tcp.host}: QMP has no authentication, so only loopback addresses are allowed ` +
        '(127.0.0.0/8, ::1) unless explicitly overridden',
    );
  }
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: false });
  const address = await listen(server, options);
  return new RunningServer(server, address, target, options);
}

async function listen(server: Server, options: QmpServerOptions): Promise<MonitorAddress> {
  if (options.unix !== undefined) {
    await listenUnix(server, options.unix);
    return { kind: 'unix', path: options.unix };
  }
  const host = bindHost(options.tcp!.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: options.tcp!.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw new TraceError('E_MONITOR', `cannot listen on ${host}:${options.tcp!.port}: ${(err as Error).message}`, { cause: err });
  }
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : options.tcp!.port;
  return { kind: 'tcp', host, port };
}

class RunningServer implements QmpServer {
  readonly address: MonitorAddress;
  readonly #server: Server;
  readonly #connections = new Set<QmpConnection>();
  readonly #unsubscribe: () => void;
  #closing: Promise<void> | undefined;

  constructor(server: Server, address: MonitorAddress, target: MonitorTarget, options: QmpServerOptions) {
    this.address = address;
    this.#server = server;
    const version = options.version ?? DEFAULT_MONITOR_VERSION;
    const hmp = new HmpEngine(target, version);
    const limits = {
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      maxOutputBytes: options.maxOutputBytes ?? 8 << 20,
    };
    const maxClients = options.maxClients ?? 16;
    const onInternalError = options.onInternalError;
    server.on('error', (err) => onInternalError?.(err));
    server.on('connection', (socket: Socket) => {
      if (this.#closing || this.#connections.size >= maxClients) {
        socket.on('error', () => {});
        socket.destroy();
        return;
      }
      if (address.kind === 'tcp') socket.setNoDelay(true);
      const create = (send: (line: string) => void): QmpSession =>
        new QmpSession({ target, hmp, version, send, ...(onInternalError ? { onInternalError } : {}) });
      this.#connections.add(new QmpConnection(socket, create, limits, (c) => this.#connections.delete(c)));
    });
    this.#unsubscribe = target.onStateChange((change) => this.#onStateChange(change));
  }

  get clientCount(): number {
    return this.#connections.size;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#unsubscribe();
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const connections = [...this.#connections];
    for (const connection of connections) connection.end(1000);
    await Promise.all([stopped, ...connections.map((c) => c.closed())]);
  }

  #onStateChange(change: RunStateChange): void {
    const timestamp = qmpNow();
    for (const body of eventsFor(change)) {
      const line = eventJson(body, timestamp);
      for (const connection of this.#connections) connection.session.event(line);
    }
    if (change.to === 'shutdown' && change.cause === 'host-qmp-quit') void this.close();
  }
}
