// Where a QMP server listens: unix socket paths and TCP endpoints, loopback checks, and their text forms.
import { BlockList, isIP } from 'node:net';
import { TraceError } from '@unitrace/core';

/** A monitor endpoint: a unix socket path or a TCP host and port. */
export type MonitorAddress =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * True for a literal loopback address (127.0.0.0/8, ::1, IPv4-mapped 127/8) and for `localhost`. Any other name is
 * false: a name could resolve anywhere, and the monitor has no authentication.
 */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 0) return false;
  return LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** The host to bind: `localhost` is pinned to 127.0.0.1 so name resolution cannot move it off loopback. */
export function bindHost(host: string): string {
  return host === 'localhost' ? '127.0.0.1' : host;
}

/**
 * Parses `unix:PATH`, `tcp:HOST:PORT`, `HOST:PORT` or a bare path (anything with a `/`). IPv6 hosts are written in
 * brackets (`tcp:[::1]:4444`). Throws TraceError E_USAGE for anything else.
 */
export function parseMonitorAddress(text: string): MonitorAddress {
  if (text.startsWith('unix:')) return { kind: 'unix', path: text.slice(5) };
  const tcp = /^(?:tcp:)?(\[[^\]]*\]|[^:/]+):(\d{1,5})$/.exec(text);
  if (tcp) {
    const host = tcp[1]!.startsWith('[') ? tcp[1]!.slice(1, -1) : tcp[1]!;
    const port = Number(tcp[2]);
    if (port <= 65535) return { kind: 'tcp', host, port };
  }
  if (text.includes('/') && !text.startsWith('tcp:')) return { kind: 'unix', path: text };
  throw new TraceError('E_USAGE', `bad monitor address '${text}': expected unix:PATH or tcp:HOST:PORT`);
}

/** The address as `parseMonitorAddress` reads it back. */
export function formatMonitorAddress(address: MonitorAddress): string {
  if (address.kind === 'unix') return `unix:${address.path}`;
  return `tcp:${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
