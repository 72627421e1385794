// Medians and number formatting for the table.

/** The median of `xs` (mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Smallest and largest of `xs`, for the spread shown in notes. */
export function spread(xs: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...xs), max: Math.max(...xs) };
}

/** Nanoseconds with a precision that suits their size: `0.93 ns`, `97.4 ns`, `4.21 µs`, `3.2 ms`. */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (ns < 10) return `${ns.toFixed(2)} ns`;
  if (ns < 1000) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** A rate: `13.2 M/s`, `182 k/s`. */
export function fmtRate(perSecond: number, what = ''): string {
  if (!Number.isFinite(perSecond)) return '—';
  const unit = what === '' ? '/s' : ` ${what}/s`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M${unit}`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k${unit}`;
  return `${perSecond.toFixed(0)}${unit}`;
}

/** A ratio: `1.12×`, `34.5×`. */
export function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  return r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** KiB as MiB: `52.3 MiB`. */
export function fmtKiB(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/** A count with thousands grouped: `10,000,000`. */
export function fmtCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The median of per-round ratios `values[i] / baselines[i]`: each round measures a row and its baseline back to
 * back, so pairing them cancels most of the load that other processes put on a shared machine between rounds.
 */
export function pairedRatio(values: readonly number[], baselines: readonly number[]): number {
  if (values.length !== baselines.length) throw new Error('pairedRatio: rounds differ');
  return median(values.map((v, i) => v / baselines[i]));
}
