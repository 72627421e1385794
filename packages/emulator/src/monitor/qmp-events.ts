// QMP's asynchronous events for run-state changes: which ones a transition raises, and how they are written.
import { toQmpJson } from './json-value.js';
import type { RunStateChange } from './target.js';

/** A QMP event before it gets its timestamp. */
export interface QmpEventBody {
  readonly event: 'STOP' | 'RESUME' | 'SHUTDOWN';
  readonly data?: { readonly guest: boolean; readonly reason: string };
}

/** A QMP event timestamp: wall-clock seconds and microseconds since the Unix epoch. */
export interface QmpTimestamp {
  readonly seconds: number;
  readonly microseconds: number;
}

/**
 * The events QEMU sends for a transition: RESUME on entering `running`; SHUTDOWN (with `guest` and `reason`) on
 * entering `shutdown`; STOP on leaving `running` for any other state. A transition to the same state sends nothing.
 */
export function eventsFor(change: RunStateChange): QmpEventBody[] {
  if (change.from === change.to) return [];
  if (change.to === 'running') return [{ event: 'RESUME' }];
  if (change.to === 'shutdown') {
    const reason = change.cause ?? 'host-error';
    return [{ event: 'SHUTDOWN', data: { guest: reason.startsWith('guest-'), reason } }];
  }
  return change.from === 'running' ? [{ event: 'STOP' }] : [];
}

/** The current wall-clock time as a QMP timestamp (microsecond resolution where the platform has it). */
export function qmpNow(): QmpTimestamp {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return { seconds: Math.floor(us / 1e6), microseconds: us % 1e6 };
}

/** One event as its wire line (without the line end): `{"timestamp": {...}, "event": "STOP"}`, data last. */
export function eventJson(body: QmpEventBody, timestamp: QmpTimestamp): string {
  return toQmpJson({ timestamp: { seconds: timestamp.seconds, microseconds: timestamp.microseconds }, event: body.event, data: body.data });
}
