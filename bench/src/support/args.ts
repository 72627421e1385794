// The command line of `npm run bench`.

/** Parsed options of the bench command. */
export interface BenchArgs {
  readonly quick: boolean;
  /** Figures to run, in order (default 1–8). */
  readonly only: readonly string[];
  /** Rounds per measurement; default 7 (3 with --quick). */
  readonly rounds: number;
  readonly simpletrace?: string;
  /** Run bench/scripts/install-lttng.sh when LTTng or babeltrace2 is missing (default on). */
  readonly install: boolean;
  readonly markdown?: string;
  readonly json?: string;
  /** Keep the work directory (its path is printed). */
  readonly keep: boolean;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run bench -- [options]
  --quick             small counts and 3 rounds: a smoke run of every figure (about a minute)
  --only N[,M…]       run only these figures (1-8)
  --rounds N          rounds per measurement (default 7; the median is reported)
  --simpletrace PATH  QEMU's scripts/simpletrace.py, the baseline of unitrace print (figure 7)
  --no-install        do not run bench/scripts/install-lttng.sh when LTTng or babeltrace2 is missing
  --markdown FILE     also write the table as Markdown (for BENCHMARKS.md)
  --json FILE         also write every row with its raw numbers as JSON
  --keep              keep the work directory (trace files) and print its path
`;

const ALL = ['1', '2', '3', '4', '5', '6', '7', '8'];

/** Parses `argv` (without node and script); throws an Error with a one-line message for a bad option. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let only = ALL;
  let rounds: number | undefined;
  let simpletrace: string | undefined;
  let install = true;
  let markdown: string | undefined;
  let json: string | undefined;
  let keep = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') quick = true;
    else if (a === '--only') {
      only = value().split(',').map((s) => s.trim());
      for (const f of only) if (!ALL.includes(f)) throw new Error(`--only: no figure ${f} (1-8)`);
    } else if (a === '--rounds') {
      rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number of at least 1');
    } else if (a === '--simpletrace') simpletrace = value();
    else if (a === '--no-install') install = false;
    else if (a === '--markdown') markdown = value();
    else if (a === '--json') json = value();
    else if (a === '--keep') keep = true;
    else if (a === '--help' || a === '-h') help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return { quick, only: ALL.filter((f) => only.includes(f)), rounds: rounds ?? (quick ? 3 : 7), simpletrace, install, markdown, json, keep, help };
}
