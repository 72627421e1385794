// Shared settings of the property and fault tests: how many cases a run tries, which seed it starts from, and the
// figures (cases tried, accepted, rejected, lost) each test appends to the reliability report.
import { appendFileSync } from 'node:fs';

/** `npm test` runs each property this many times over; `npm run fuzz` (UNITRACE_FUZZ=long) this factor more. */
export const LONG_FUZZ_FACTOR = 25;

/** True under `npm run fuzz` (UNITRACE_FUZZ=long): properties try many more cases and may take minutes. */
export function isLongFuzz(): boolean {
  return process.env.UNITRACE_FUZZ === 'long';
}

/**
 * How many cases a property tries: `base` in `npm test`, `base × LONG_FUZZ_FACTOR` under `npm run fuzz`, or
 * UNITRACE_FUZZ_RUNS when set (a replay or a quick look). Never less than 1; must not be used for fault tests
 * whose cost does not scale.
 */
export function fuzzRuns(base: number): number {
  const forced = Number(process.env.UNITRACE_FUZZ_RUNS);
  if (Number.isSafeInteger(forced) && forced > 0) return forced;
  return Math.max(1, Math.round(isLongFuzz() ? base * LONG_FUZZ_FACTOR : base));
}

/**
 * The seed a property starts from: UNITRACE_FUZZ_SEED when set (to replay a failure), else a fresh one per call.
 * fast-check prints it, with the shrink path, in every failure message; the figures record it too.
 */
export function fuzzSeed(): number {
  const forced = Number(process.env.UNITRACE_FUZZ_SEED);
  if (process.env.UNITRACE_FUZZ_SEED !== undefined && Number.isInteger(forced)) return forced | 0;
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

/** The fast-check parameters of one property (structurally `fc.Parameters`): bounded runs and a known seed. */
export interface FuzzParameters {
  readonly numRuns: number;
  readonly seed: number;
  /** Replays one shrunk counterexample when UNITRACE_FUZZ_PATH is set with the seed that produced it. */
  readonly path?: string;
  /** Stop at the first failure when replaying: the printed path is then the one to replay. */
  readonly endOnFailure?: boolean;
}

/** Parameters for `fc.assert(property, fuzzParameters(base))`. Must not be shared between two properties. */
export function fuzzParameters(base: number): FuzzParameters {
  const path = process.env.UNITRACE_FUZZ_PATH;
  const seed = fuzzSeed();
  return path ? { numRuns: fuzzRuns(base), seed, path, endOnFailure: true } : { numRuns: fuzzRuns(base), seed };
}

/** One line of the reliability report: what one property or fault test tried and what became of it. */
export interface ReliabilityFigures {
  /** Package of the test (`@unitrace/core`). */
  readonly package: string;
  /** The test, as RELIABILITY.md names it (stable across runs). */
  readonly test: string;
  /** What one case is (`mutated catalog file`, `guest batch`, `signal during a run`). */
  readonly caseUnit: string;
  /** What accepted/rejected/lost count (`records`, `lines`, `requests`). */
  readonly itemUnit: string;
  readonly cases: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Items lost and counted (as dropped records, stats or losses); never silently. */
  readonly lost: number;
  /** Items lost without being counted anywhere. Every test asserts this is 0. */
  readonly uncounted: number;
  /** The seed of the property run, when the test is a property. */
  readonly seed?: number;
  /** `fast` (npm test) or `long` (npm run fuzz). */
  readonly mode: 'fast' | 'long';
  /** One line of context (`worst RSS growth 3.1 MiB`). */
  readonly note?: string;
}

/**
 * Counts what a property or fault test did. The test bumps the counters as it goes and calls `report()` once;
 * when UNITRACE_RELIABILITY_REPORT names a file, `report()` appends one JSON line to it. Must not be used to decide
 * a test's outcome: assert first, report after.
 */
export class Tally {
  readonly package: string;
  readonly test: string;
  readonly caseUnit: string;
  readonly itemUnit: string;
  cases = 0;
  accepted = 0;
  rejected = 0;
  lost = 0;
  uncounted = 0;
  seed: number | undefined;
  note: string | undefined;

  constructor(pkg: string, test: string, units: { readonly caseUnit: string; readonly itemUnit: string }) {
    this.package = pkg;
    this.test = test;
    this.caseUnit = units.caseUnit;
    this.itemUnit = units.itemUnit;
  }

  /** The figures so far. */
  figures(): ReliabilityFigures {
    return {
      package: this.package,
      test: this.test,
      caseUnit: this.caseUnit,
      itemUnit: this.itemUnit,
      cases: this.cases,
      accepted: this.accepted,
      rejected: this.rejected,
      lost: this.lost,
      uncounted: this.uncounted,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
      mode: isLongFuzz() ? 'long' : 'fast',
      ...(this.note === undefined ? {} : { note: this.note }),
    };
  }

  /** Appends the figures to the report file, if one is asked for. Never throws: a report must not fail a test. */
  report(): void {
    const file = process.env.UNITRACE_RELIABILITY_REPORT;
    if (!file) return;
    try {
      appendFileSync(file, `${JSON.stringify(this.figures())}\n`);
    } catch {
      // The report is a by-product; the test's own assertions decide its outcome.
    }
  }
}

/**
 * Runs `body` against a timer: rejects with a message naming `what` when it takes longer than `ms`. For "never
 * hangs" checks; the timer is cleared either way and never keeps the process alive.
 */
export async function withinMs<T>(ms: number, what: string, body: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([body(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
