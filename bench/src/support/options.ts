// What the parent hands every figure's child process: run size, rounds, where to put files, which tools exist.

/** How the `unitrace` command is run, and what the table calls it. */
export interface CliChoice {
  /** argv before the command's own arguments: `[node, tools/bin/unitrace.js]` or a temporary build's entry. */
  readonly argv: readonly string[];
  /** `built CLI (tools/dist)` or `CLI from source (tsx)`. */
  readonly label: string;
  /** Environment for it (UNITRACE_USE_DIST=1 makes a workspace checkout run tools/dist). */
  readonly env?: Readonly<Record<string, string>>;
}

/** LTTng and babeltrace2 as found (and built) by the parent; `why` says what is missing. */
export interface LttngChoice {
  /** The built C program of figure 4 (bench/c), when gcc and liblttng-ust-dev are there. */
  readonly program?: string;
  /** Whether `lttng` and a session daemon can be used. */
  readonly sessions: boolean;
  /** The `babeltrace2` command, when installed. */
  readonly babeltrace?: string;
  /** Why something is missing, for the rows that need it. */
  readonly why?: string;
}

/** The options of one bench run, as JSON in the child's BENCH_OPTIONS. */
export interface BenchOptions {
  /** `--quick`: small counts and 3 rounds, for a smoke run. */
  readonly quick: boolean;
  /** Rounds per measurement (median reported). */
  readonly rounds: number;
  /** A temporary directory for this run's files, removed by the parent at the end. */
  readonly workDir: string;
  /** The repository root. */
  readonly repo: string;
  /** QEMU's scripts/simpletrace.py, when given with --simpletrace. */
  readonly simpletrace?: string;
  /** The CLI figures 7 and 8 run: tools/dist when built, else the source. */
  readonly cli: CliChoice;
  /** The CLI from source, as a workspace checkout runs it (figure 8 shows it next to a built one). */
  readonly sourceCli: CliChoice;
  /** A bundle of the CLI built into workDir by the parent, for start-up; absent when tools/dist exists. */
  readonly bundledCli?: CliChoice;
  readonly lttng: LttngChoice;
}

/** Prints a progress line on stderr (stdout is kept for the table). */
export function progress(figure: string, message: string): void {
  process.stderr.write(`  [${figure}] ${message}\n`);
}
