// Loading a backend by name or module path, and refusing a malformed one at load time.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TraceError } from '../errors.js';
import { SINK_API_VERSION, type SinkModule } from './sink.js';

/** A parsed `--backend NAME[:ARG]` value. */
export interface BackendSpec {
  /** A built-in name (`simple`), a package name, or a module path. */
  readonly name: string;
  /** The text after the first `:`, if any. */
  readonly arg: string | undefined;
}

/**
 * Splits `NAME[:ARG]`. A module path may itself contain `:` only on Windows drive letters, which are kept in the
 * name (`C:\x\sink.js`).
 */
export function parseBackendSpec(text: string): BackendSpec {
  const driveLetter = /^[A-Za-z]:[\\/]/.test(text) ? 2 : 0;
  const colon = text.indexOf(':', driveLetter);
  const name = colon < 0 ? text : text.slice(0, colon);
  if (name === '') throw new TraceError('E_USAGE', `backend "${text}" has no name (expected NAME[:ARG])`);
  return { name, arg: colon < 0 ? undefined : text.slice(colon + 1) };
}

/**
 * Turns ARG into options for a module: `key=value[,key=value…]` when it contains `=`, otherwise the value of the
 * module's positional option. `,,` stands for a literal comma, as in QEMU's option syntax.
 */
export function backendOptions(module: SinkModule, arg: string | undefined): Record<string, string> {
  if (arg === undefined || arg === '') return {};
  const parts = splitOptions(arg);
  const options: Record<string, string> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (parts.length === 1 && module.positionalOption !== undefined) {
        options[module.positionalOption] = part;
        continue;
      }
      throw new TraceError(
        'E_SINK_OPTIONS',
        module.positionalOption === undefined
          ? `backend ${module.name} takes key=value options, got "${part}"`
          : `backend ${module.name}: "${part}" is not key=value (a bare value is only allowed alone, as ${module.positionalOption})`,
      );
    }
    const key = part.slice(0, eq);
    if (Object.hasOwn(options, key)) throw new TraceError('E_SINK_OPTIONS', `backend ${module.name}: option ${key} given twice`);
    options[key] = part.slice(eq + 1);
  }
  return options;
}

function splitOptions(arg: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < arg.length; i++) {
    if (arg[i] === ',' && arg[i + 1] === ',') {
      current += ',';
      i++;
    } else if (arg[i] === ',') {
      parts.push(current);
      current = '';
    } else current += arg[i];
  }
  parts.push(current);
  return parts;
}

/** How to import a module specifier; the caller passes its own `import` so that resolution starts from it. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Built-in backend names and the packages that provide them. */
export const BUILTIN_BACKENDS: Readonly<Record<string, string>> = {
  simple: '@unitrace/backend-simple',
  stderr: '@unitrace/backend-stderr',
  log: '@unitrace/backend-stderr',
  'ust-json': '@unitrace/backend-ust-json',
};

/** True when a backend name is a file path rather than a package or built-in name. */
export function isModulePath(name: string): boolean {
  return name.startsWith('.') || isAbsolute(name) || /\.(c|m)?[jt]s$/.test(name);
}

/**
 * Loads and validates a backend module: a built-in name (`simple`), a package name, or a module path (resolved
 * from `cwd`). Throws TraceError('E_SINK_LOAD') naming the module when it cannot be imported, has no default
 * export, or does not satisfy SinkModule (apiVersion, name, description, create).
 */
export async function loadSinkModule(
  name: string,
  options: { importer?: ModuleImporter; cwd?: string } = {},
): Promise<SinkModule> {
  const importer = options.importer ?? ((s: string) => import(s));
  const specifier = isModulePath(name)
    ? pathToFileURL(resolve(options.cwd ?? process.cwd(), name)).href
    : (BUILTIN_BACKENDS[name] ?? name);
  let loaded: unknown;
  try {
    loaded = await importer(specifier);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TraceError('E_SINK_LOAD', `cannot load backend "${name}" (${specifier}): ${reason}`, { cause: err });
  }
  return validateSinkModule((loaded as { default?: unknown } | undefined)?.default, name);
}

/** Checks that `candidate` is a SinkModule of this API version; throws TraceError('E_SINK_LOAD') saying what is wrong. */
export function validateSinkModule(candidate: unknown, from: string): SinkModule {
  const fail = (what: string): never => {
    throw new TraceError('E_SINK_LOAD', `backend "${from}" is not a Unitrace backend: ${what}`);
  };
  if (typeof candidate !== 'object' || candidate === null) return fail('it has no default export object');
  const m = candidate as Partial<Record<keyof SinkModule, unknown>>;
  if (m.apiVersion !== SINK_API_VERSION) {
    return fail(`its apiVersion is ${JSON.stringify(m.apiVersion)}, this Unitrace needs ${SINK_API_VERSION}`);
  }
  if (typeof m.name !== 'string' || m.name === '') return fail('its default export has no name');
  if (typeof m.description !== 'string') return fail('its default export has no description');
  if (typeof m.create !== 'function') return fail('its default export has no create() function');
  if (m.positionalOption !== undefined && typeof m.positionalOption !== 'string') return fail('positionalOption must be a string');
  return candidate as SinkModule;
}
