/**
 * The state machine of ResilientSocket: which state may follow which. One
 * table, read by the one function that changes the state; a move it does
 * not list is a bug in the SDK, reported and caught by the unit tests.
 *
 * @module
 */
import type { SocketState } from './events.js';

/** For each state, the states that may follow it. */
export const TRANSITIONS: Readonly<Record<SocketState, readonly SocketState[]>> = {
  // Made with startClosed: open() or reconnect() starts it (offline first when the browser is), or close() ends it.
  idle: ['connecting', 'reconnecting', 'offline', 'closed'],
  // An attempt opens, is abandoned or fails (then a delay, a wait for the network, or the end), or close() is called.
  connecting: ['open', 'closing', 'reconnecting', 'offline', 'closed'],
  // The connection ends (close() or the server's Close frame first make it `closing`), or reconnect() starts at once.
  open: ['closing', 'connecting', 'reconnecting', 'offline', 'closed'],
  // The close is reported: the end, or what follows it.
  closing: ['closed', 'connecting', 'reconnecting', 'offline'],
  // The delay ends, the network goes, or close() cancels the wait.
  reconnecting: ['connecting', 'offline', 'closed'],
  // The network or the page returns, or close() ends it (closing when a connection was still closing).
  offline: ['connecting', 'reconnecting', 'closing', 'closed'],
  // Only reconnect() leaves it.
  closed: ['connecting', 'reconnecting'],
};

/** Whether `to` may follow `from`. Pure. */
export function canMove(from: SocketState, to: SocketState): boolean {
  return TRANSITIONS[from].includes(to);
}
