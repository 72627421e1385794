// ANSI colours of a line: dim timestamp, bold event name, one hue per guest source, a yellow dropped notice.
import type { ColorMode } from './options.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const NONE = new Uint8Array(0);

/** The escape sequences a sink wraps around each part of a line; every field is empty when colour is off. */
export interface Palette {
  readonly stampOpen: Uint8Array;
  readonly stampClose: Uint8Array;
  /** Opening sequence of an event name: bold for host events, bold plus a hue for guest source `guestIndex`. */
  nameOpen(guestIndex: number): Uint8Array;
  readonly nameClose: Uint8Array;
  readonly noticeOpen: Uint8Array;
  readonly noticeClose: Uint8Array;
}

/** No colour at all: what pipes and files get. */
export const PLAIN: Palette = {
  stampOpen: NONE,
  stampClose: NONE,
  nameOpen: () => NONE,
  nameClose: NONE,
  noticeOpen: NONE,
  noticeClose: NONE,
};

// Guest hues (cyan, magenta, green, blue), cycled by guest index; yellow is kept for the dropped notice.
const GUEST_HUES: readonly Uint8Array[] = [ascii('\x1b[1;36m'), ascii('\x1b[1;35m'), ascii('\x1b[1;32m'), ascii('\x1b[1;34m')];
const HOST_NAME = ascii('\x1b[1m');

/** ANSI SGR colours: `\x1b[2m` dim stamp, `\x1b[1m` bold names, `\x1b[33m` notice; each part closes what it opens. */
export const ANSI: Palette = {
  stampOpen: ascii('\x1b[2m'),
  stampClose: ascii('\x1b[22m'),
  nameOpen: (guestIndex) => (guestIndex < 0 ? HOST_NAME : GUEST_HUES[guestIndex % GUEST_HUES.length]),
  nameClose: ascii('\x1b[22;39m'),
  noticeOpen: ascii('\x1b[33m'),
  noticeClose: ascii('\x1b[39m'),
};

/**
 * Whether to colour: `always` and `never` say so; `auto` colours a terminal only, and never when the NO_COLOR
 * environment variable is set to anything but '' (no-color.org).
 */
export function useColor(mode: ColorMode, isTTY: boolean, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const noColor = env.NO_COLOR;
  return isTTY && (noColor === undefined || noColor === '');
}
