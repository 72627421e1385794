// `unitrace run --backend`: every backend loaded and checked before the machine starts, then created on the tracer.
import {
  type Sink,
  type SinkEnv,
  type SinkModule,
  TraceError,
  backendOptions,
  loadSinkModule,
  parseBackendSpec,
} from '@unitrace/core';

/** What `unitrace run` writes to without `--backend`: readable lines on stderr (timestamped) and a trace file. */
export const DEFAULT_BACKENDS: readonly string[] = ['stderr:timestamp=tid', 'simple'];

/** A backend loaded and validated, with its options from the command line. */
export interface LoadedBackend {
  /** The `--backend` text. */
  readonly spec: string;
  readonly module: SinkModule;
  readonly options: Readonly<Record<string, string>>;
}

/** A backend's sink, created on the machine's tracer. */
export interface CreatedBackend extends LoadedBackend {
  readonly sink: Sink;
}

/**
 * Loads every `--backend NAME[:ARG]` (a built-in name, a package, or a module path from `cwd`) and turns ARG into
 * options. QEMU's `--trace file=` names the simple backend's file, or, without a simple backend, the stderr
 * backend's (as `file=` acts like `-D` for QEMU's log backend). Throws TraceError: E_USAGE (malformed spec,
 * `file=` with no backend to take it), E_SINK_LOAD (cannot import, not a backend), E_SINK_OPTIONS.
 */
export async function loadBackends(specs: readonly string[], traceFile: string | undefined, cwd: string): Promise<LoadedBackend[]> {
  const importer = (specifier: string): Promise<unknown> => import(specifier);
  const loaded: LoadedBackend[] = [];
  for (const spec of specs) {
    const { name, arg } = parseBackendSpec(spec);
    const module = await loadSinkModule(name, { importer, cwd });
    loaded.push({ spec, module, options: backendOptions(module, arg) });
  }
  if (traceFile !== undefined) {
    const target = loaded.find((b) => b.module.name === 'simple') ?? loaded.find((b) => b.module.name === 'stderr');
    if (target === undefined) {
      throw new TraceError('E_USAGE', `--trace file=${traceFile}: option not supported by the selected tracing backends`);
    }
    if (target.options.file === undefined) {
      const i = loaded.indexOf(target);
      loaded[i] = { ...target, options: { ...target.options, file: traceFile } };
    }
  }
  return loaded;
}

/**
 * Creates every loaded backend's sink. A backend refusing its options (TraceError E_SINK_OPTIONS) or failing to
 * open its file (E_IO) closes the sinks already created and rethrows, so nothing is left half-open.
 */
export async function createBackends(loaded: readonly LoadedBackend[], env: SinkEnv): Promise<CreatedBackend[]> {
  const created: CreatedBackend[] = [];
  try {
    for (const backend of loaded) created.push({ ...backend, sink: backend.module.create(backend.options, env) });
  } catch (err) {
    await Promise.all(created.map((c) => c.sink.close()));
    throw err;
  }
  return created;
}

/** The file a backend writes, when it writes one: the simple sink's current trace file, or a `file` option. */
export function backendFile(backend: CreatedBackend): string | undefined {
  const control = backend.sink as Partial<{ traceFile(): { readonly name: string } }>;
  if (backend.module.name === 'simple' && typeof control.traceFile === 'function') return control.traceFile().name;
  const file = backend.options.file;
  return file !== undefined && file !== '-' ? file : undefined;
}
