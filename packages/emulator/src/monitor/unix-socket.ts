// Listening on a unix socket that only its owner can use: stale-socket check, umask around bind, chmod 0600.
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { TraceError } from '@unitrace/core';

/** Mode of a monitor socket: read and write for the owner only (connecting needs write permission). */
export const SOCKET_MODE = 0o600;

/**
 * Binds `server` to `path` with mode 0600. A socket file left by a dead process is removed; a live one (something
 * accepts connections) or any other kind of file is an error, never overwritten. The umask is narrowed around the
 * bind (main thread only, since it is process-wide) and the mode is set again right after, before any connection
 * is accepted. Throws TraceError E_MONITOR.
 */
export async function listenUnix(server: Server, path: string): Promise<void> {
  await removeStaleSocket(path);
  const listening = new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  try {
    const previous = isMainThread ? process.umask(0o177) : undefined;
    try {
      server.listen(path);
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
    await listening;
    chmodSync(path, SOCKET_MODE);
  } catch (err) {
    server.close();
    throw new TraceError('E_MONITOR', `cannot listen on unix socket ${path}: ${(err as Error).message}`, { cause: err });
  }
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new TraceError('E_MONITOR', `cannot listen on ${path}: it exists and is not a socket`);
  if (await accepts(path)) throw new TraceError('E_MONITOR', `cannot listen on ${path}: another server is listening there`);
  unlinkSync(path);
}

/** True when something accepts a connection at `path`. */
function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
