// One process-wide hook that flushes every registered tracer synchronously on exit, SIGINT and SIGTERM.

/** Something that can write out everything it holds without awaiting. */
export interface SyncFlushable {
  flushSync(): void;
}

const targets = new Set<SyncFlushable>();
let installed = false;

function flushAll(): void {
  for (const t of targets) {
    try {
      t.flushSync();
    } catch {
      // An exit hook has nowhere to report to; the other targets must still be flushed.
    }
  }
}

function onExit(): void {
  flushAll();
}

function onSignal(signal: NodeJS.Signals): void {
  flushAll();
  // Re-raise only when nobody else handles the signal, so the process dies the way it would have without us.
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/**
 * Flushes `target` synchronously when the process exits normally or receives SIGINT/SIGTERM. Returns a function
 * that unregisters it; the process hooks go away with the last target. Must not be used for async-only work.
 */
export function registerExitFlush(target: SyncFlushable): () => void {
  targets.add(target);
  install();
  return () => {
    targets.delete(target);
    if (targets.size === 0) uninstall();
  };
}
