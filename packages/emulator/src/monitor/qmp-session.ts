// One QMP conversation, independent of the transport: greeting, capabilities negotiation, dispatch, replies.
import type { HmpEngine } from './hmp.js';
import type { StreamItem } from './json-stream.js';
import { isJsonObject, type JsonObject, type JsonValue, toQmpJson } from './json-value.js';
import { argumentsOf, checkArgs, genericError, QmpFailure } from './qmp-args.js';
import { findQmpCommand, QMP_CAPABILITIES, type QmpCommandContext, type QmpReply } from './qmp-commands.js';
import type { MonitorTarget } from './target.js';
import type { MonitorVersion } from './version.js';

/** What a session needs from its surroundings. */
export interface QmpSessionOptions {
  readonly target: MonitorTarget;
  readonly hmp: HmpEngine;
  readonly version: MonitorVersion;
  /** Sends one line (no line end). Must not throw; a closed transport drops it. */
  readonly send: (line: string) => void;
  /** Told about an exception that is a bug (not a client's fault); the client gets a GenericError. */
  readonly onInternalError?: (err: unknown) => void;
}

/**
 * QMP as QEMU speaks it over one connection. Starts in capabilities negotiation: only `qmp_capabilities` works,
 * anything else is CommandNotFound `Expecting capabilities negotiation with 'qmp_capabilities'`, and no events are
 * sent. Every reply echoes the request's `id` when it has one. Never throws from `handle`.
 */
export class QmpSession {
  readonly #options: QmpSessionOptions;
  readonly #ctx: QmpCommandContext;
  #negotiated = false;
  #oob = false;

  constructor(options: QmpSessionOptions) {
    this.#options = options;
    this.#ctx = {
      target: options.target,
      version: options.version,
      hmp: options.hmp,
      enableOob: () => {
        this.#oob = true;
      },
    };
  }

  /** True once qmp_capabilities succeeded: commands run and events are delivered. */
  get negotiated(): boolean {
    return this.#negotiated;
  }

  /** The greeting line sent when the connection opens. */
  greeting(): string {
    const { qemu, package: pkg } = this.#options.version;
    return toQmpJson({
      QMP: { version: { qemu: { micro: qemu.micro, minor: qemu.minor, major: qemu.major }, package: pkg }, capabilities: [...QMP_CAPABILITIES] },
    });
  }

  /** Sends an event line, if this session is out of negotiation (QEMU sends none before). */
  event(line: string): void {
    if (this.#negotiated) this.#options.send(line);
  }

  /** Answers one item of the input stream: a JSON parse error, or a request. */
  async handle(item: StreamItem): Promise<void> {
    if (item.kind === 'error') {
      this.#fail(undefined, genericError(item.desc));
      return;
    }
    const request = item.value;
    const id = isJsonObject(request) && Object.prototype.hasOwnProperty.call(request, 'id') ? request['id'] : undefined;
    let reply: QmpReply;
    try {
      reply = await this.#dispatch(request);
    } catch (err) {
      if (err instanceof QmpFailure) this.#fail(id, err);
      else {
        this.#options.onInternalError?.(err);
        this.#fail(id, genericError(`internal error: ${err instanceof Error ? err.message : String(err)}`));
      }
      return;
    }
    this.#options.send(id === undefined ? toQmpJson({ return: reply.value }) : toQmpJson({ return: reply.value, id }));
    if (reply.after === undefined) return;
    try {
      await reply.after();
    } catch (err) {
      // The reply is out; a target that fails to quit is the embedder's problem, not this client's.
      this.#options.onInternalError?.(err);
    }
  }

  async #dispatch(request: JsonValue): Promise<QmpReply> {
    if (!isJsonObject(request)) throw genericError('QMP input must be a JSON object');
    const { name, oob } = this.#checkRequest(request);
    const command = findQmpCommand(name);
    if (!this.#negotiated && name !== 'qmp_capabilities') {
      throw new QmpFailure('CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
    }
    if (command === undefined) throw new QmpFailure('CommandNotFound', `The command ${name} has not been found`);
    if (oob) throw genericError(`The command ${name} does not support OOB`);
    const args = checkArgs(argumentsOf(request), command.args);
    if (name === 'qmp_capabilities') {
      if (this.#negotiated) {
        throw new QmpFailure('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
      }
      const reply = await command.run(this.#ctx, args);
      this.#negotiated = true;
      return reply;
    }
    return command.run(this.#ctx, args);
  }

  /** QEMU's request checks, member by member in order: execute/exec-oob strings, arguments an object, no others. */
  #checkRequest(request: JsonObject): { name: string; oob: boolean } {
    let execKey: string | undefined;
    for (const [key, value] of Object.entries(request)) {
      if (key === 'execute' || (key === 'exec-oob' && this.#oob)) {
        if (typeof value !== 'string') throw genericError(`QMP input member '${key}' must be a string`);
        if (execKey !== undefined) throw genericError(`QMP input member '${key}' clashes with '${execKey}'`);
        execKey = key;
      } else if (key === 'arguments') {
        if (!isJsonObject(value)) throw genericError("QMP input member 'arguments' must be an object");
      } else if (key !== 'id') {
        throw genericError(`QMP input member '${key}' is unexpected`);
      }
    }
    if (execKey === undefined) throw genericError("QMP input lacks member 'execute'");
    return { name: request[execKey] as string, oob: execKey === 'exec-oob' };
  }

  #fail(id: JsonValue | undefined, failure: QmpFailure): void {
    const error = { class: failure.errorClass, desc: failure.desc };
    this.#options.send(id === undefined ? toQmpJson({ error }) : toQmpJson({ id, error }));
  }
}
