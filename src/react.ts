/**
 * `resilient-socket/react`: the `useResilientSocket` hook.
 *
 * One connection per mounted hook, also under StrictMode: the socket is made
 * with `startClosed` in an effect and opened a microtask later, so the
 * mount that StrictMode undoes at once never reaches the server. Messages
 * reach `onMessage` one by one, as they arrive, whatever React batches.
 *
 * @module
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CloseInfo } from './close-info.js';
import type { SocketError } from './errors.js';
import type { OpenInfo, SocketState } from './events.js';
import type { Options, SendData } from './options.js';
import { ResilientSocket } from './resilient-socket.js';
import { acquire, release, shareKey } from './shared.js';
import { type SocketSnapshot, toStore } from './store.js';
import type { CloseTrace, SocketStats } from './traces.js';

/** Options of {@link useResilientSocket}: the socket's {@link Options}, and the hook's own. */
export interface UseResilientSocketOptions extends Omit<Options, 'startClosed'> {
  /**
   * Whether to connect. `false` closes the socket (or makes none); `true` again makes a new one.
   * @default true
   */
  enabled?: boolean;
  /**
   * Share one socket between every hook that asks for the same URL and
   * option values with `share: true`: counted by reference, closed when the
   * last of them unmounts. The first one's function options and `enabled`
   * apply; each hook still gets its own events and callbacks.
   * @default false
   */
  share?: boolean;
  /**
   * Called for every message, in order, as it arrives (not once per render).
   * The latest function is used; changing it does not reconnect. Function
   * options of the socket (`shouldReconnect`, `heartbeat.isPong`) are taken
   * when the socket is made.
   * @default undefined
   */
  onMessage?: (event: MessageEvent) => void;
  /**
   * Called on every open. The latest function is used.
   * @default undefined
   */
  onOpen?: (info: OpenInfo) => void;
  /**
   * Called on every close. The latest function is used.
   * @default undefined
   */
  onClose?: (info: CloseInfo) => void;
  /**
   * Called on every fault. The latest function is used.
   * @default undefined
   */
  onError?: (error: SocketError) => void;
}

/** What {@link useResilientSocket} returns. */
export interface UseResilientSocketResult {
  /** The socket, or `null` while disabled (and before the first effect). */
  readonly socket: ResilientSocket | null;
  /** The socket's state; `'closed'` while there is no socket. */
  readonly state: SocketState;
  /** As `socket.readyState`; 3 while there is no socket. */
  readonly readyState: number;
  /** The last message this hook saw, or `null`. */
  readonly lastMessage: MessageEvent | null;
  /** The last message parsed as JSON when it is a string, else `null` (parsed when read). */
  readonly lastJsonMessage: unknown;
  /** The last close this hook saw, or `null`. */
  readonly lastClose: CloseInfo | null;
  /** As `socket.stats`, or `null` while there is no socket. */
  readonly stats: SocketStats | null;
  /** As `socket.traces`; empty while there is no socket. */
  readonly traces: readonly CloseTrace[];
  /** As `socket.send()`; `false` while there is no socket. */
  send(data: SendData): boolean;
  /** Sends `JSON.stringify(value)`. */
  sendJson(value: unknown): boolean;
  /** Closes the socket for good (until the URL, the options or `enabled` change). */
  close(code?: number, reason?: string): Promise<CloseInfo> | null;
  /** As `socket.reconnect()`. */
  reconnect(): void;
}

const NO_SOCKET: SocketSnapshot = Object.freeze({ state: 'closed', readyState: 3, lastClose: null, lastMessage: null, stats: null as unknown as SocketStats, traces: Object.freeze([]) });
const noStore = { subscribe: () => () => {}, getSnapshot: () => NO_SOCKET };

/**
 * A {@link ResilientSocket} for a component: made when the component mounts
 * (or `enabled` turns true), closed when it unmounts, remade when the URL
 * or an option value changes (an inline options object re-created on each
 * render changes nothing). `url` `null` is the same as `enabled: false`.
 *
 * @example
 * const { state, lastJsonMessage, sendJson } = useResilientSocket('wss://example.com/live', { heartbeat: true });
 */
export function useResilientSocket(url: string | URL | null, options: UseResilientSocketOptions = {}): UseResilientSocketResult {
  const latest = useRef(options);
  latest.current = options;
  const href = url === null ? null : String(url);
  const enabled = options.enabled !== false && href !== null;
  // The options that make a new socket when they change: everything but functions, compared by value.
  const key = shareKey('', options);
  const [socket, setSocket] = useState<ResilientSocket | null>(null);

  useEffect(() => {
    if (!enabled) return undefined;
    const { enabled: _enabled, share, onMessage: _m, onOpen: _o, onClose: _c, onError: _e, ...socketOptions } = latest.current;
    // Made idle; opened after StrictMode has had its say (it undoes the first mount synchronously).
    const sharedAs = share ? shareKey(href!, socketOptions) : null;
    const made = sharedAs === null ? new ResilientSocket(href!, { ...socketOptions, startClosed: true }) : acquire(sharedAs, href!, socketOptions);
    let live = true;
    // Only while mounted: the close that unmounting causes is not the component's to hear.
    const handlers = {
      message: (event: MessageEvent) => live && latest.current.onMessage?.(event),
      open: (info: OpenInfo) => live && latest.current.onOpen?.(info),
      close: (info: CloseInfo) => live && latest.current.onClose?.(info),
      error: (error: SocketError) => live && latest.current.onError?.(error),
    };
    made.on('message', handlers.message);
    made.on('open', handlers.open);
    made.on('close', handlers.close);
    made.on('error', handlers.error);
    queueMicrotask(() => {
      // open() does nothing once a shared socket has been started by another hook.
      if (live) made.open();
    });
    setSocket(made);
    return () => {
      live = false;
      made.off('message', handlers.message);
      made.off('open', handlers.open);
      made.off('close', handlers.close);
      made.off('error', handlers.error);
      if (sharedAs === null) void made.close();
      else release(sharedAs, made);
      setSocket((current) => (current === made ? null : current));
    };
  }, [href, key, enabled]);

  const store = useMemo(() => (socket ? toStore(socket) : noStore), [socket]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const parsed = useRef<{ from: MessageEvent | null; value: unknown }>({ from: null, value: null });

  return useMemo<UseResilientSocketResult>(
    () => ({
      socket,
      state: snapshot.state,
      readyState: snapshot.readyState,
      lastMessage: snapshot.lastMessage,
      get lastJsonMessage() {
        const message = snapshot.lastMessage;
        if (parsed.current.from !== message) {
          let value: unknown = null;
          if (message && typeof message.data === 'string') {
            try {
              value = JSON.parse(message.data);
            } catch {
              value = null;
            }
          }
          parsed.current = { from: message, value };
        }
        return parsed.current.value;
      },
      lastClose: snapshot.lastClose,
      stats: socket ? snapshot.stats : null,
      traces: snapshot.traces,
      send: (data: SendData) => socket?.send(data) ?? false,
      sendJson: (value: unknown) => socket?.send(JSON.stringify(value)) ?? false,
      close: (code?: number, reason?: string) => socket?.close(code, reason) ?? null,
      reconnect: () => socket?.reconnect(),
    }),
    [socket, snapshot],
  );
}
