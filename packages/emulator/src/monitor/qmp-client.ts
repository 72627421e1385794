// A small QMP client: connects, reads the greeting, negotiates, runs commands by id, and queues events.
import { connect, type Socket } from 'node:net';
import { TraceError } from '@unitrace/core';
import { toQmpJson, type QmpOutput } from './json-value.js';
import { formatMonitorAddress, type MonitorAddress, parseMonitorAddress } from './monitor-address.js';

/** The server's greeting. */
export interface QmpGreeting {
  readonly QMP: {
    readonly version: { readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number }; readonly package: string };
    readonly capabilities: readonly string[];
  };
}

/** An asynchronous event. */
export interface QmpEvent {
  readonly event: string;
  readonly data?: unknown;
  readonly timestamp: { readonly seconds: number; readonly microseconds: number };
}

/** A QMP error reply, as a TraceError (E_MONITOR) carrying QMP's class and desc. */
export class QmpError extends TraceError {
  /** QMP error class: GenericError, CommandNotFound, … */
  readonly errorClass: string;
  constructor(errorClass: string, desc: string) {
    super('E_MONITOR', desc);
    this.errorClass = errorClass;
  }
}

/** Options of `connectQmp`. */
export interface ConnectQmpOptions {
  /** Send qmp_capabilities right after the greeting (default true). */
  readonly negotiate?: boolean;
  /** Give up connecting and waiting for the greeting after this long (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** A connected QMP client. */
export interface QmpClient {
  readonly greeting: QmpGreeting;
  /** Runs a command; resolves to its `return` value, rejects with QmpError. Rejects when the connection closes. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Runs an HMP command line through human-monitor-command; resolves to its output with `\n` line ends. */
  hmp(commandLine: string): Promise<string>;
  /** The next event (optionally of this name) not yet taken, waiting for it up to `timeoutMs` (default 5000). */
  nextEvent(name?: string, timeoutMs?: number): Promise<QmpEvent>;
  /** Events received and not yet taken by `nextEvent`, oldest first. */
  readonly pendingEvents: readonly QmpEvent[];
  /** Writes raw bytes (tests, debugging); replies to them come from `nextResponse`. */
  sendRaw(data: string | Uint8Array): void;
  /** The next reply that matched no `execute` (raw requests, parse errors), waiting up to `timeoutMs`. */
  nextResponse(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the server has closed the connection (or `close` was called). */
  readonly closed: Promise<void>;
  /** Closes the connection; pending commands reject. */
  close(): Promise<void>;
}

const MAX_QUEUED = 10_000;

/** Connects to a QMP server (an address object or its text form, see `parseMonitorAddress`). */
export async function connectQmp(address: MonitorAddress | string, options: ConnectQmpOptions = {}): Promise<QmpClient> {
  const target = typeof address === 'string' ? parseMonitorAddress(address) : address;
  const socket = target.kind === 'unix' ? connect(target.path) : connect({ host: target.host, port: target.port });
  const client = new Client(socket);
  const greeting = await withTimeout(client.greeted, options.timeoutMs ?? 5000, 'QMP greeting').catch((err: unknown) => {
    socket.destroy();
    if (err instanceof TraceError) throw err;
    throw new TraceError('E_MONITOR', `cannot connect to ${formatMonitorAddress(target)}: ${(err as Error).message}`, { cause: err });
  });
  client.greeting = greeting;
  if (options.negotiate !== false) await client.execute('qmp_capabilities');
  return client;
}

interface Waiter<T> {
  readonly accept: (item: T) => boolean;
  readonly resolve: (item: T) => void;
}

class Client implements QmpClient {
  greeting!: QmpGreeting;
  readonly greeted: Promise<QmpGreeting>;
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #pending = new Map<string, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  readonly #events: QmpEvent[] = [];
  readonly #responses: Record<string, unknown>[] = [];
  #eventWaiters: Waiter<QmpEvent>[] = [];
  #responseWaiters: Waiter<Record<string, unknown>>[] = [];
  #nextId = 1;
  #buffer = '';
  #isClosed = false;

  constructor(socket: Socket) {
    this.#socket = socket;
    let greet!: (g: QmpGreeting) => void;
    let failGreeting!: (err: Error) => void;
    this.greeted = new Promise((resolve, reject) => {
      greet = resolve;
      failGreeting = reject;
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.#onData(text, greet));
    socket.on('error', (err) => failGreeting(err));
    socket.on('close', () => {
      this.#isClosed = true;
      failGreeting(new TraceError('E_MONITOR', 'QMP connection closed before the greeting'));
      for (const { reject } of this.#pending.values()) reject(new TraceError('E_MONITOR', 'QMP connection closed'));
      this.#pending.clear();
    });
  }

  get pendingEvents(): readonly QmpEvent[] {
    return this.#events;
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.#isClosed) return Promise.reject(new TraceError('E_MONITOR', 'QMP connection closed'));
    const id = `unitrace-${this.#nextId++}`;
    const request = { execute: command, arguments: args, id } as QmpOutput;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.write(`${toQmpJson(request)}\n`);
    });
  }

  async hmp(commandLine: string): Promise<string> {
    const output = await this.execute('human-monitor-command', { 'command-line': commandLine });
    return String(output).replace(/\r\n/g, '\n');
  }

  nextEvent(name?: string, timeoutMs = 5000): Promise<QmpEvent> {
    const accept = (e: QmpEvent): boolean => name === undefined || e.event === name;
    const index = this.#events.findIndex(accept);
    if (index >= 0) return Promise.resolve(this.#events.splice(index, 1)[0]!);
    return this.#wait(this.#eventWaiters, accept, timeoutMs, `QMP event ${name ?? ''}`);
  }

  sendRaw(data: string | Uint8Array): void {
    this.#socket.write(data);
  }

  nextResponse(timeoutMs = 5000): Promise<Record<string, unknown>> {
    const queued = this.#responses.shift();
    if (queued) return Promise.resolve(queued);
    return this.#wait(this.#responseWaiters, () => true, timeoutMs, 'QMP response');
  }

  close(): Promise<void> {
    this.#socket.end();
    this.#socket.destroySoon();
    return this.closed;
  }

  #wait<T>(waiters: Waiter<T>[], accept: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        accept,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new TraceError('E_MONITOR', `timed out waiting for ${what}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }

  #onData(text: string, greet: (g: QmpGreeting) => void): void {
    const lines = (this.#buffer + text).split('\n');
    this.#buffer = lines.pop()!;
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed !== '') this.#onMessage(trimmed, greet);
    }
  }

  #onMessage(line: string, greet: (g: QmpGreeting) => void): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if ('QMP' in message) return greet(message as unknown as QmpGreeting);
    if ('event' in message) return this.#deliver(this.#eventWaiters, this.#events, message as unknown as QmpEvent);
    const pending = typeof message['id'] === 'string' ? this.#pending.get(message['id']) : undefined;
    if (pending === undefined) return this.#deliver(this.#responseWaiters, this.#responses, message);
    this.#pending.delete(message['id'] as string);
    const error = message['error'] as { class?: string; desc?: string } | undefined;
    if (error) pending.reject(new QmpError(String(error.class), String(error.desc)));
    else pending.resolve(message['return']);
  }

  #deliver<T>(waiters: Waiter<T>[], queue: T[], item: T): void {
    const index = waiters.findIndex((w) => w.accept(item));
    if (index >= 0) return waiters.splice(index, 1)[0]!.resolve(item);
    queue.push(item);
    if (queue.length > MAX_QUEUED) queue.shift();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TraceError('E_MONITOR', `timed out waiting for the ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}
