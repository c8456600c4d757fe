/**
 * A store over a ResilientSocket for UI frameworks: React's
 * `useSyncExternalStore`, a Vue `shallowRef`, a Svelte store. One immutable
 * snapshot, the same object until something in it changes.
 *
 * @module
 */
import type { CloseInfo } from './close-info.js';
import type { SocketEvents, SocketState } from './events.js';
import type { ResilientSocket } from './resilient-socket.js';
import type { CloseTrace, SocketStats } from './traces.js';

/** What a {@link SocketStore} holds: frozen, and the same object until a field changes. */
export interface SocketSnapshot {
  /** As `socket.state`. */
  readonly state: SocketState;
  /** As `socket.readyState`. */
  readonly readyState: number;
  /** The last `close` event's info since the first subscription, or `null`. */
  readonly lastClose: CloseInfo | null;
  /** The last `message` event since the first subscription, or `null`. */
  readonly lastMessage: MessageEvent | null;
  /** As `socket.stats`. */
  readonly stats: SocketStats;
  /** As `socket.traces`. */
  readonly traces: readonly CloseTrace[];
}

/** A subscribable snapshot of a socket. See {@link toStore}. */
export interface SocketStore {
  /**
   * Calls `listener` after every change of the snapshot (a state change, a
   * message, a close, a trace). Returns the function that unsubscribes; the
   * store stops listening to the socket when its last listener is gone.
   */
  subscribe(listener: () => void): () => void;
  /** The current snapshot: the same object on every call until something in it changed. */
  getSnapshot(): SocketSnapshot;
}

const WATCHED = ['state', 'message', 'close', 'trace'] as const;

/**
 * A store over `socket`, usable as it is by React's
 * `useSyncExternalStore(store.subscribe, store.getSnapshot)`, by Vue
 * (`shallowRef` updated from `subscribe`) and by Svelte (`subscribe`). It
 * listens to the socket only while it has subscribers; `lastClose` and
 * `lastMessage` are those seen meanwhile.
 *
 * @example
 * const store = toStore(socket);
 * const { state, lastMessage } = useSyncExternalStore(store.subscribe, store.getSnapshot);
 */
export function toStore(socket: ResilientSocket): SocketStore {
  // One entry per subscription: the same function subscribed twice is called twice, and unsubscribed once each.
  const listeners = new Set<{ listener: () => void }>();
  let lastClose: CloseInfo | null = null;
  let lastMessage: MessageEvent | null = null;
  let snapshot: SocketSnapshot | null = null;

  const notify = () => {
    for (const entry of [...listeners]) entry.listener();
  };
  const handlers: { [K in (typeof WATCHED)[number]]: (event: SocketEvents[K]) => void } = {
    state: notify,
    trace: notify,
    close: (info) => {
      lastClose = info;
      notify();
    },
    message: (event) => {
      lastMessage = event;
      notify();
    },
  };
  const listen = (on: boolean) => {
    for (const type of WATCHED) (on ? socket.on : socket.off).call(socket, type, handlers[type] as never);
  };

  const getSnapshot = (): SocketSnapshot => {
    const next = { state: socket.state, readyState: socket.readyState, lastClose, lastMessage, stats: socket.stats, traces: socket.traces };
    const same = snapshot !== null && (Object.keys(next) as Array<keyof SocketSnapshot>).every((key) => snapshot![key] === next[key]);
    if (!same) snapshot = Object.freeze(next);
    return snapshot!;
  };

  return {
    subscribe(listener: () => void): () => void {
      if (typeof listener !== 'function') throw new TypeError(`subscribe() needs a function, got ${listener === null ? 'null' : typeof listener}`);
      if (listeners.size === 0) listen(true);
      const entry = { listener };
      listeners.add(entry);
      return () => {
        if (!listeners.delete(entry)) return;
        if (listeners.size === 0) listen(false);
      };
    },
    getSnapshot,
  };
}
