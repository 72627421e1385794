// Where the demo machine's files are: its catalog, the firmware module and the kernel source, found through the
// installed packages (a workspace checkout or node_modules), never through paths relative to this file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceError } from '@unitrace/core';

/** The demo machine's files, as absolute paths. */
export interface DemoFiles {
  /** The root catalog: the emulator's events as the host source, `firmware` and `kernel` as guest sources. */
  readonly catalog: string;
  /** The three catalogs it includes. */
  readonly hostCatalog: string;
  readonly firmwareCatalog: string;
  readonly kernelCatalog: string;
  /** The firmware's GuestMain module (TypeScript from a checkout, the built bundle from an install). */
  readonly firmware: string;
  /** The kernel's UT32 assembly source. */
  readonly kernelSource: string;
}

const self = import.meta.url;
let cached: DemoFiles | undefined;

/** Where `locateDemoFiles` looks: how packages are found, whether TypeScript can run, where a root may be written. */
export interface DemoLayout {
  /** The directory of an installed package (its package.json's). Throws when it is not installed. */
  packageDir(name: string): string;
  /** True when TypeScript modules can run (a checkout running from source): the firmware's .ts is preferred. */
  readonly fromSource: boolean;
  /** Directories to write a root catalog to when the packages are not side by side, in order of preference. */
  readonly cacheDirs: readonly string[];
}

/**
 * Finds the demo machine's files, cached for the process. The shipped root catalog (firmware-sdk `demo/trace-events`)
 * includes the emulator's catalog as a sibling package; where packages are not siblings, a root with absolute
 * includes is written once to the user's cache directory. Throws TraceError('E_USAGE') naming what is missing.
 * Loads no catalog.
 */
export function demoFiles(): DemoFiles {
  cached ??= locateDemoFiles(defaultLayout());
  return cached;
}

/** `demoFiles` for a given layout (tests, other install layouts). Not cached. */
export function locateDemoFiles(layout: DemoLayout): DemoFiles {
  const dirOf = (pkg: string): string => {
    try {
      return layout.packageDir(pkg);
    } catch {
      throw new TraceError('E_USAGE', `the demo machine needs the package ${pkg}, which cannot be found from ${fileURLToPath(self)}`);
    }
  };
  const sdk = dirOf('@unitrace/firmware-sdk');
  const emulator = dirOf('@unitrace/emulator');
  const file = (path: string, what: string): string => {
    if (!existsSync(path)) throw new TraceError('E_USAGE', `the demo machine's ${what} is missing: ${path} (reinstall @unitrace/tools)`);
    return path;
  };
  const hostCatalog = file(join(emulator, 'src', 'trace-events'), 'emulator catalog');
  const firmwareCatalog = file(join(sdk, 'demo', 'firmware', 'trace-events'), 'firmware catalog');
  const kernelCatalog = file(join(sdk, 'demo', 'kernel', 'trace-events'), 'kernel catalog');
  const kernelSource = file(join(sdk, 'demo', 'kernel', 'kernel.s'), 'kernel source');
  const tsFirmware = join(sdk, 'demo', 'firmware', 'firmware.ts');
  const jsFirmware = join(sdk, 'dist', 'demo-firmware.js');
  const firmware = layout.fromSource && existsSync(tsFirmware) ? tsFirmware : existsSync(jsFirmware) ? jsFirmware : file(tsFirmware, 'firmware');
  const shipped = join(sdk, 'demo', 'trace-events');
  const siblings = existsSync(shipped) && resolve(sdk, '..', 'emulator') === resolve(emulator);
  const catalog = siblings ? shipped : writeRootCatalog(rootCatalogText(hostCatalog, firmwareCatalog, kernelCatalog), layout.cacheDirs);
  return { catalog, hostCatalog, firmwareCatalog, kernelCatalog, firmware, kernelSource };
}

function defaultLayout(): DemoLayout {
  const require = createRequire(self);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const cacheDirs = [process.env.XDG_CACHE_HOME, join(homedir(), '.cache'), join(tmpdir(), `unitrace-${uid}`)].filter((d): d is string => !!d);
  return {
    packageDir: (name) => dirname(require.resolve(`${name}/package.json`)),
    fromSource: /\.[cm]?ts$/.test(new URL(self).pathname),
    cacheDirs,
  };
}

/** The demo machine's root catalog path (what `unitrace print`, `events` and `convert` use without a CATALOG). */
export function demoCatalogPath(): string {
  return demoFiles().catalog;
}

/** The text of a root catalog that includes the three catalogs by absolute path. */
export function rootCatalogText(host: string, firmware: string, kernel: string): string {
  for (const p of [host, firmware, kernel]) {
    if (/["\n\r]/.test(p)) throw new TraceError('E_USAGE', `cannot include ${JSON.stringify(p)} in a catalog: it contains a quote or newline`);
  }
  return [
    '# The Unitrace demo machine: the emulator (host), the demo firmware and the demo kernel (guest sources).',
    '# Written by unitrace because the packages are not installed side by side; the includes are absolute.',
    `include "${host}"`,
    `include "${firmware}" as firmware`,
    `include "${kernel}" as kernel`,
    '',
  ].join('\n');
}

// Written under the user's cache directory (not a shared /tmp name another user could plant), once per content.
function writeRootCatalog(text: string, cacheDirs: readonly string[]): string {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  for (const base of cacheDirs) {
    const dir = join(base, 'unitrace', `demo-${digest}`);
    const path = join(dir, 'trace-events');
    try {
      if (existsSync(path) && readFileSync(path, 'utf8') === text) return path;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, text, { mode: 0o600 });
      renameSync(temp, path);
      return path;
    } catch {
      // Not writable (read-only home, sandbox): try the next place.
    }
  }
  throw new TraceError('E_IO', 'cannot write the demo machine catalog to any cache directory');
}
