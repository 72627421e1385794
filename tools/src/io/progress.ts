// A progress bar on stderr for long conversions: only on a terminal, only for large inputs.

/** Inputs smaller than this finish too fast for a bar to help. */
export const PROGRESS_MIN_BYTES: number = 16 * 1024 * 1024;

/** A progress display; both methods are cheap when nothing is shown. */
export interface Progress {
  /** Sets the bytes processed so far. */
  update(bytes: number): void;
  /** Removes the bar. Idempotent. */
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

/** Where the bar is drawn: a stream that may be a terminal. */
export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * A cli-progress bar of `totalBytes` on `stream` (stderr by default), or a no-op when the stream is not a terminal
 * or the input is smaller than `minBytes`. Loads cli-progress only when a bar is shown.
 */
export async function createProgress(
  totalBytes: number,
  label: string,
  options: { stream?: ProgressStream; minBytes?: number } = {},
): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true || totalBytes < (options.minBytes ?? PROGRESS_MIN_BYTES)) return NONE;
  const { SingleBar, Presets } = await import('cli-progress');
  const mib = (n: number): string => (n / 1048576).toFixed(1);
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {done}/{all} MiB | ETA {eta}s`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { done: mib(0), all: mib(totalBytes) });
  let stopped = false;
  return {
    update(bytes) {
      if (!stopped) bar.update(Math.min(bytes, totalBytes), { done: mib(Math.min(bytes, totalBytes)) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
