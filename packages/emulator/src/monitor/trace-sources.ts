// Renders trace-source and trace-sink status for QMP (`query-trace-sources`, `query-trace-sinks`) and for HMP
// (`info trace-sources`, `info trace-sinks`).
import type { QmpOutput } from './json-value.js';
import type { TraceSinkStatus, TraceSourceStatus } from './target.js';

/** A wire id as QMP shows it: `0x` and lower-case hex, since ids do not fit a JSON number. */
export function hexId(id: bigint): string {
  return `0x${id.toString(16)}`;
}

/** One source as its `query-trace-sources` element (QAPI naming: kebab-case, optional members left out). */
export function sourceToQmp(source: TraceSourceStatus): QmpOutput {
  return {
    name: source.name,
    kind: source.kind,
    'first-id': hexId(source.firstId),
    'last-id': source.count > 0 ? hexId(source.firstId + BigInt(source.count - 1)) : undefined,
    count: source.count,
    handshake: source.handshake,
    detail: source.detail,
    'host-hash': source.hostHash,
    'guest-hash': source.guestHash,
    channel: source.channel,
    records: source.records,
    'unknown-events': source.unknownEvents ? [...source.unknownEvents] : undefined,
    losses: {
      'guest-buffer': source.losses.guestBuffer,
      rejected: source.losses.rejected,
      'sequence-gaps': source.losses.sequenceGaps,
      'gap-records': source.losses.gapRecords,
    },
  };
}

/** `info trace-sources`: two lines per source, ids, handshake, hashes (first 16 hex digits) and losses. */
export function sourcesToText(sources: readonly TraceSourceStatus[]): string {
  let out = '';
  for (const s of sources) {
    const range = s.count > 0 ? `${hexId(s.firstId)}..${hexId(s.firstId + BigInt(s.count - 1))}` : `${hexId(s.firstId)} (empty)`;
    const via = s.channel ? ` via ${s.channel}` : '';
    out += `${s.name} (${s.kind}${via}): ids ${range}, ${s.count} events, handshake ${s.handshake}`;
    out += s.detail ? ` (${s.detail})\n` : '\n';
    const guest = s.guestHash ? `, guest ${s.guestHash.slice(0, 16)}` : '';
    const records = s.records !== undefined ? `records ${s.records}, ` : '';
    const l = s.losses;
    out += `  catalog ${s.hostHash.slice(0, 16)}${guest}; ${records}lost: guest buffer ${l.guestBuffer}, rejected ${l.rejected}, `;
    out += `sequence gaps ${l.sequenceGaps} (${l.gapRecords} records)\n`;
    if (s.unknownEvents && s.unknownEvents.length > 0) out += `  unknown to the host: ${s.unknownEvents.join(', ')}\n`;
  }
  return out;
}

/** What a target that does not report its sinks answers (the QMP error's text, the HMP line). */
export const NO_SINKS = 'this machine does not report its trace sinks';

/**
 * One sink as its `query-trace-sinks` element: what the tracer delivered to it, lost because its `write` threw, and
 * its failures; `stats` (its own records, dropped, bytes, errors) only when the sink keeps counters.
 */
export function sinkToQmp(sink: TraceSinkStatus): QmpOutput {
  const own = sink.own;
  return {
    name: sink.name,
    delivered: sink.delivered,
    lost: sink.lost,
    failures: sink.failures,
    stats: own === undefined ? undefined : { records: own.records, dropped: own.dropped, bytes: own.bytes, errors: own.errors },
  };
}

/** `info trace-sinks`: one line per sink, or a line saying there is none. */
export function sinksToText(sinks: readonly TraceSinkStatus[]): string {
  if (sinks.length === 0) return 'no trace sinks\n';
  let out = '';
  for (const s of sinks) {
    out += `${s.name}: delivered ${s.delivered}, lost to exceptions ${s.lost} (${s.failures} failures)`;
    const own = s.own;
    out += own === undefined ? '; keeps no counters of its own\n' : `; its own: records ${own.records}, dropped ${own.dropped}, bytes ${own.bytes}, errors ${own.errors}\n`;
  }
  return out;
}
