// Starting a vCPU worker from TypeScript source (vitest, tsx) or from built JavaScript (dist).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TraceError } from '@unitrace/core';

/** The built worker entry's file name, next to the bundle (tsup entry `vcpu-worker: src/vcpu/worker-entry.ts`). */
export const DIST_WORKER_ENTRY = 'vcpu-worker.js';

const SELF = import.meta.url;

/** True when this module runs from TypeScript source rather than a build. */
export function runningFromSource(self: string = SELF): boolean {
  return /\.[cm]?ts$/.test(new URL(self).pathname);
}

/** The worker entry module: the .ts source next to this file, or the built entry next to the bundle. */
export function workerEntryUrl(self: string = SELF): URL {
  return runningFromSource(self) ? new URL('./worker-entry.ts', self) : new URL(`./${DIST_WORKER_ENTRY}`, self);
}

/** A guest module given as a path, a `file:` URL string or a URL, as an absolute URL. */
export function guestModuleUrl(module: string | URL): URL {
  if (module instanceof URL) return module;
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return new URL(module);
  return pathToFileURL(module);
}

/** The file URL of tsx's ESM registration API, or undefined when tsx cannot be found from here. */
function tsxApiUrl(): string | undefined {
  try {
    const require = createRequire(SELF);
    const pkgPath = require.resolve('tsx/package.json');
    return new URL('dist/esm/api/index.mjs', pathToFileURL(pkgPath)).href;
  } catch {
    return undefined;
  }
}

// Node 20 ignores `--import` in a worker's execArgv for the worker's own entry, so TypeScript support is registered
// by this tiny CommonJS bootstrap (tsx's register() installs the loader hooks in the worker) before the entry loads.
const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((err) => {
  const name = String((err && err.name) || 'Error');
  const message = 'vCPU worker failed to start: ' + String((err && err.message) || err);
  parentPort.postMessage({ kind: 'threw', exits: 0, error: { name, message } });
});
`;

/**
 * Starts a worker running the vCPU entry with `data` as its boot data. TypeScript (a .ts entry when running from
 * source, or a .ts guest module) is handled by registering tsx inside the worker, with the `@unitrace/source`
 * condition so workspace packages resolve to their source as they do for the caller. Throws TraceError('E_USAGE')
 * when TypeScript is needed and tsx cannot be found.
 */
export function launchWorker(data: Record<string, unknown>, guestModule: URL): Worker {
  const entry = workerEntryUrl();
  const needsTs = runningFromSource() || /\.[cm]?ts$/.test(guestModule.pathname);
  const tsx = needsTs ? tsxApiUrl() : undefined;
  if (needsTs && tsx === undefined) {
    const what = `running ${guestModule.href} on a vCPU worker`;
    throw new TraceError('E_USAGE', `${what} needs TypeScript support: install tsx`);
  }
  const options: WorkerOptions = { eval: true, workerData: { ...data, entry: entry.href, tsx } };
  // From source the worker needs the condition to resolve workspace packages to TypeScript; from a build it keeps
  // Node's default (the parent's flags).
  if (runningFromSource()) options.execArgv = ['--conditions=@unitrace/source'];
  return new Worker(BOOTSTRAP, options);
}
