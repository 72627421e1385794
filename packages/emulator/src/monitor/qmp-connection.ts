// One client socket: feeds bytes to the JSON stream, runs requests one at a time, and keeps output bounded.
import type { Socket } from 'node:net';
import { JsonStream } from './json-stream.js';
import type { QmpSession, QmpSessionOptions } from './qmp-session.js';

/** Limits of one connection. */
export interface ConnectionLimits {
  /** Bound on one request (JsonStream's maxMessageBytes). */
  readonly maxMessageBytes: number;
  /** Unsent output beyond which the client is dropped: it stopped reading (events pile up otherwise). */
  readonly maxOutputBytes: number;
}

/**
 * Serves QMP on a socket. Requests run strictly in order; the socket is paused while one runs and while the client
 * is not reading our replies, so neither input nor output grows without bound. Client faults (garbage, floods,
 * resets, disconnects mid-command) end at most this connection; nothing here throws into the emulator.
 */
export class QmpConnection {
  readonly #socket: Socket;
  readonly #stream: JsonStream;
  readonly #session: QmpSession;
  readonly #limits: ConnectionLimits;
  #pumping = false;
  #ended = false;
  #endFed = false;
  #closed = false;

  constructor(
    socket: Socket,
    createSession: (send: QmpSessionOptions['send']) => QmpSession,
    limits: ConnectionLimits,
    onClose: (connection: QmpConnection) => void,
  ) {
    this.#socket = socket;
    this.#limits = limits;
    this.#stream = new JsonStream({ maxMessageBytes: limits.maxMessageBytes });
    this.#session = createSession((line) => this.#send(line));
    socket.on('data', (chunk: Buffer) => {
      this.#stream.push(chunk);
      socket.pause();
      void this.#pump();
    });
    socket.on('end', () => {
      this.#ended = true;
      void this.#pump();
    });
    // Resets and broken pipes are the client's business; 'close' follows and cleans up.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      onClose(this);
    });
    this.#send(this.#session.greeting());
  }

  /** The protocol state of this connection (events go through it). */
  get session(): QmpSession {
    return this.#session;
  }

  /** Ends the connection after pending output; destroys it if the client has not closed within `graceMs`. */
  end(graceMs: number): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), graceMs).unref();
  }

  /** Resolves once the socket is fully closed. */
  closed(): Promise<void> {
    if (this.#socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.#socket.once('close', () => resolve()));
  }

  #send(line: string): void {
    const socket = this.#socket;
    if (this.#closed || socket.destroyed || !socket.writable) return;
    if (socket.writableLength > this.#limits.maxOutputBytes) {
      socket.destroy();
      return;
    }
    socket.write(`${line}\r\n`);
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        let item = this.#stream.next();
        if (item === undefined && this.#ended && !this.#endFed) {
          this.#endFed = true;
          this.#stream.end();
          item = this.#stream.next();
        }
        if (item === undefined) break;
        await this.#session.handle(item);
        if (this.#closed) return;
        if (this.#socket.writableNeedDrain) await this.#drained();
        if (this.#closed) return;
      }
    } catch {
      // QmpSession.handle does not throw; if it ever does, drop this client rather than the emulator.
      this.#socket.destroy();
      return;
    } finally {
      this.#pumping = false;
    }
    if (this.#closed) return;
    if (this.#ended) this.end(1000);
    else this.#socket.resume();
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.#socket.off('drain', done);
        this.#socket.off('close', done);
        resolve();
      };
      this.#socket.on('drain', done);
      this.#socket.on('close', done);
    });
  }
}
