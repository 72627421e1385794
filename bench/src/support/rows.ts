// One row of the bench table: a figure's measured value, its baseline from the same run, the ratio and the target.

/** A target on a row's ratio (value ÷ baseline) or on its value itself. */
export interface Target {
  /** What the limit applies to. */
  readonly on: 'ratio' | 'value';
  readonly op: '<=' | '>=';
  readonly limit: number;
  /** As printed, e.g. `≤ 1.25×` or `≥ 5 M/s`. */
  readonly text: string;
}

/** A row of the final table. Built by a figure in its child process, sent to the parent as JSON. */
export interface Row {
  /** Figure number of the issue (`1` … `8`). */
  readonly figure: string;
  /** What was measured. */
  readonly row: string;
  /** The measured median, formatted with its unit; `—` when the row could not be measured. */
  readonly value: string;
  /** The baseline's median from the same run, formatted; or `—` and the reason in `note`. */
  readonly baseline: string;
  /** value ÷ baseline, in the direction the target states; undefined without a baseline. */
  readonly ratio?: number;
  readonly target?: Target;
  /** Whether the target is met; undefined when there is no target or nothing to judge. */
  readonly met?: boolean;
  /** Why a baseline is absent, drops, which CLI ran, and anything else a reader must know. */
  readonly note?: string;
  /** The raw numbers behind the row (ns, events/s, KiB), for --json. */
  readonly raw?: Readonly<Record<string, number | string>>;
}

/** `≤ N×` on the ratio. */
export function atMost(limit: number, unit = '×'): Target {
  return { on: 'ratio', op: '<=', limit, text: `≤ ${limit}${unit}` };
}

/** `≥ N×` on the ratio. */
export function atLeast(limit: number, unit = '×'): Target {
  return { on: 'ratio', op: '>=', limit, text: `≥ ${limit}${unit}` };
}

/** A target on the value itself (e.g. at least 5 M events/s). */
export function valueTarget(op: '<=' | '>=', limit: number, text: string): Target {
  return { on: 'value', op, limit, text };
}

/** Whether `x` meets `target`; undefined when `x` is not a finite number. */
export function meets(target: Target, x: number | undefined): boolean | undefined {
  if (x === undefined || !Number.isFinite(x)) return undefined;
  return target.op === '<=' ? x <= target.limit : x >= target.limit;
}

/**
 * A measured row: computes the ratio and judges the target. `valueNumber` is what a value target is judged on.
 * A row with `spoiled` set (records dropped, a check failed) is never reported as met: the note says why.
 */
export function row(r: {
  figure: string;
  row: string;
  value: string;
  baseline: string;
  ratio?: number;
  valueNumber?: number;
  target?: Target;
  note?: string;
  spoiled?: string;
  raw?: Record<string, number | string>;
}): Row {
  const judged = r.target === undefined ? undefined : meets(r.target, r.target.on === 'ratio' ? r.ratio : r.valueNumber);
  const met = r.spoiled !== undefined && judged === true ? false : judged;
  const note = [r.spoiled, r.note].filter((s) => s !== undefined && s !== '').join('; ');
  return {
    figure: r.figure,
    row: r.row,
    value: r.value,
    baseline: r.baseline,
    ratio: r.ratio,
    target: r.target,
    met,
    note: note === '' ? undefined : note,
    raw: r.raw,
  };
}

/** A row that could not be measured, saying why (no baseline tool, figure failed, not built yet). */
export function absent(figure: string, what: string, why: string, target?: Target): Row {
  return { figure, row: what, value: '—', baseline: '—', target, met: undefined, note: why };
}
