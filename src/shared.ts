/**
 * Shared sockets for the framework bindings (`share: true`): one socket per
 * URL and options, counted by reference, closed when the last user lets go.
 *
 * @module
 */
import { ResilientSocket } from './resilient-socket.js';
import type { Options } from './options.js';

const sockets = new Map<string, { socket: ResilientSocket; users: number }>();

/** The key of a URL and options: the URL, and every option but functions, by value. */
export function shareKey(url: string, options: object): string {
  return `${url} ${JSON.stringify(options, (key, value) => (typeof value === 'function' || key === 'WebSocket' ? undefined : value))}`;
}

/**
 * The socket for `key`, made idle (`startClosed`) with `url` and `options`
 * by its first user; each call counts one user until {@link release}.
 */
export function acquire(key: string, url: string, options: Options): ResilientSocket {
  const entry = sockets.get(key);
  if (entry) {
    entry.users++;
    return entry.socket;
  }
  const socket = new ResilientSocket(url, { ...options, startClosed: true });
  sockets.set(key, { socket, users: 1 });
  return socket;
}

/** One user of `key` lets go; the last closes the socket. */
export function release(key: string, socket: ResilientSocket): void {
  const entry = sockets.get(key);
  if (!entry || entry.socket !== socket) return;
  if (--entry.users > 0) return;
  sockets.delete(key);
  void socket.close();
}
