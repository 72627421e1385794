// The version a Unitrace monitor reports: the QEMU QMP dialect it speaks, and the Unitrace package.

/** QMP's VersionInfo: `qemu` triple and a free-form `package` string. */
export interface MonitorVersion {
  readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number };
  readonly package: string;
}

/** The Unitrace release this monitor belongs to (kept in step with packages/emulator/package.json). */
export const UNITRACE_VERSION = '0.1.0';

/**
 * What the greeting and `query-version` report. `qemu` names the QEMU release whose QMP and HMP behaviour this
 * monitor follows (10.2: no `vcpu` argument, no `singlestep` in query-status), so clients that gate features on the
 * version choose the right ones; `package` says that the server is Unitrace, not QEMU.
 */
export const DEFAULT_MONITOR_VERSION: MonitorVersion = Object.freeze({
  qemu: Object.freeze({ major: 10, minor: 2, micro: 0 }),
  package: `unitrace-${UNITRACE_VERSION}`,
});

/** `info version`: the triple, then the package in parentheses when there is one. */
export function versionLine(version: MonitorVersion): string {
  const { major, minor, micro } = version.qemu;
  return `${major}.${minor}.${micro}${version.package ? ` (${version.package})` : ''}`;
}
