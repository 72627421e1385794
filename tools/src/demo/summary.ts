// The lines `unitrace run` ends with: how the guest ended, events per source, each channel's handshake, losses per
// hop, and the files written with the command that reads them.
import type { SinkStatus } from '@unitrace/core';
import type { GuestOutcome, TraceSourceStatus } from '@unitrace/emulator';

/** One guest channel as the summary shows it. */
export interface SummaryChannel {
  readonly source: string;
  readonly channel: string;
  /** Its `query-trace-sources` status (handshake, losses), when the machine attached it. */
  readonly status: TraceSourceStatus | undefined;
}

/** Everything the summary reports. */
export interface SummaryInput {
  /** How the guest ended; undefined when it had not ended when the machine shut down. */
  readonly outcome: GuestOutcome | undefined;
  /** Wall-clock seconds from the machine's start to its end. */
  readonly seconds: number;
  /** Records that reached the sinks, per source in registry order. */
  readonly sources: ReadonlyArray<{ readonly name: string; readonly records: number }>;
  readonly channels: readonly SummaryChannel[];
  /** The tracer's status of each user-visible sink. */
  readonly sinks: readonly SinkStatus[];
  /** Files the backends wrote. */
  readonly files: ReadonlyArray<{ readonly backend: string; readonly file: string }>;
  /** The catalog given with `--catalog`, or undefined for the built-in demo catalog (`print` finds it alone). */
  readonly catalog: string | undefined;
}

/** The summary, one line each, without the `unitrace: ` prefix. */
export function summaryLines(input: SummaryInput): string[] {
  const lines = [outcomeLine(input.outcome, input.seconds)];
  lines.push(`events: ${input.sources.map((s) => `${s.name} ${s.records}`).join(', ')}`);
  if (input.channels.length > 0) lines.push(`handshakes: ${input.channels.map(handshakeText).join('; ')}`);
  const hops = input.channels.map((c) => {
    const l = c.status?.losses;
    return l === undefined
      ? `${c.source} none`
      : `${c.source} guest buffer ${l.guestBuffer}, rejected ${l.rejected}, sequence gaps ${l.sequenceGaps}`;
  });
  const sinks = input.sinks.map((s) => `${s.name} ${(s.own?.dropped ?? 0) + s.lost}`);
  lines.push(`losses: ${[...hops, `sinks: ${sinks.join(', ') || 'none'}`].join('; ')}`);
  for (const { backend, file } of input.files) {
    const read = backend === 'simple' ? `; read it with: unitrace print ${[input.catalog, file].filter((a) => a !== undefined).map(shellWord).join(' ')}` : '';
    lines.push(`wrote ${file} (${backend})${read}`);
  }
  return lines;
}

function outcomeLine(outcome: GuestOutcome | undefined, seconds: number): string {
  const time = `${seconds.toFixed(2)} s`;
  if (outcome === undefined) return `machine quit before the guest ended (${time})`;
  const exits = `${outcome.exits} exit${outcome.exits === 1 ? '' : 's'}`;
  switch (outcome.kind) {
    case 'halted':
      return `guest halted with code ${outcome.code} after ${exits} (${time})`;
    case 'returned':
      return `guest returned without halting after ${exits} (${time})`;
    case 'terminated':
      return `guest stopped by quit after ${exits} (${time})`;
    default:
      return `guest error: ${outcome.error.name}: ${outcome.error.message} (after ${exits}, ${time})`;
  }
}

function handshakeText(c: SummaryChannel): string {
  const s = c.status;
  const head = `${c.source} via ${c.channel}: `;
  if (s === undefined || s.handshake === 'none') return `${head}no handshake`;
  // A refusal is loud (DESIGN.md): its detail says why, in the host's words.
  if (s.handshake === 'refused') return `${head}REFUSED${s.detail ? ` ${s.detail.replace(/^refused\s*/, '')}` : ''}`;
  const records = `, ${s.records ?? 0} records`;
  return s.handshake === 'accepted' ? `${head}accepted${records}` : `${head}${s.detail ?? 'mapped by name'}${records}`;
}

/** A path as a shell word: as is when it is plain, single-quoted otherwise. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
