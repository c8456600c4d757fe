/**
 * `resilient-socket/vue`: the `useResilientSocket` composable.
 *
 * @module
 */
import { type MaybeRefOrGetter, type Ref, type ShallowRef, computed, getCurrentScope, onScopeDispose, shallowRef, toValue, watch } from 'vue';
import type { CloseInfo } from './close-info.js';
import type { SocketError } from './errors.js';
import type { OpenInfo, SocketState } from './events.js';
import type { Options, SendData } from './options.js';
import { ResilientSocket } from './resilient-socket.js';
import { acquire, release, shareKey } from './shared.js';
import type { CloseTrace, SocketStats } from './traces.js';

/** Options of the Vue {@link useResilientSocket}: the socket's {@link Options}, and the composable's own. */
export interface UseResilientSocketOptions extends Omit<Options, 'startClosed'> {
  /**
   * Whether to connect: a value, a ref or a getter. `false` closes the
   * socket (or makes none); `true` again makes a new one.
   * @default true
   */
  enabled?: MaybeRefOrGetter<boolean>;
  /**
   * Share one socket between every composable that asks for the same URL
   * and option values with `share: true`: counted by reference, closed when
   * the last scope is disposed. The first one's function options apply.
   * @default false
   */
  share?: boolean;
  /**
   * Called for every message, in order, as it arrives.
   * @default undefined
   */
  onMessage?: (event: MessageEvent) => void;
  /**
   * Called on every open.
   * @default undefined
   */
  onOpen?: (info: OpenInfo) => void;
  /**
   * Called on every close.
   * @default undefined
   */
  onClose?: (info: CloseInfo) => void;
  /**
   * Called on every fault.
   * @default undefined
   */
  onError?: (error: SocketError) => void;
}

/** What the Vue {@link useResilientSocket} returns: refs, and the socket's methods. */
export interface UseResilientSocketReturn {
  /** The socket, or `null` while disabled. */
  readonly socket: ShallowRef<ResilientSocket | null>;
  /** The socket's state; `'closed'` while there is no socket. */
  readonly state: Readonly<Ref<SocketState>>;
  /** The last message, or `null`. */
  readonly lastMessage: Readonly<ShallowRef<MessageEvent | null>>;
  /** The last message parsed as JSON when it is a string, else `null`. */
  readonly lastJsonMessage: Readonly<Ref<unknown>>;
  /** The last close, or `null`. */
  readonly lastClose: Readonly<ShallowRef<CloseInfo | null>>;
  /** As `socket.stats` (a new object after each change), or `null` while there is no socket. */
  readonly stats: Readonly<ShallowRef<SocketStats | null>>;
  /** As `socket.traces`. */
  readonly traces: Readonly<ShallowRef<readonly CloseTrace[]>>;
  /** As `socket.send()`; `false` while there is no socket. */
  send(data: SendData): boolean;
  /** Sends `JSON.stringify(value)`. */
  sendJson(value: unknown): boolean;
  /** Closes the socket for good (until the URL or `enabled` change). */
  close(code?: number, reason?: string): Promise<CloseInfo> | null;
  /** As `socket.reconnect()`. */
  reconnect(): void;
}

/**
 * A {@link ResilientSocket} for a component or an effect scope: made now
 * (or when `enabled` turns true), remade when the URL changes (a value, a
 * ref or a getter), closed when the scope is disposed. Refs update on every
 * event; `onMessage` gets every message.
 *
 * @example
 * const { state, lastJsonMessage, sendJson } = useResilientSocket(() => `wss://example.com/rooms/${room.value}`);
 */
export function useResilientSocket(url: MaybeRefOrGetter<string | URL | null>, options: UseResilientSocketOptions = {}): UseResilientSocketReturn {
  const { enabled = true, share = false, onMessage, onOpen, onClose, onError, ...socketOptions } = options;
  const socket = shallowRef<ResilientSocket | null>(null);
  const state = shallowRef<SocketState>('closed');
  const lastMessage = shallowRef<MessageEvent | null>(null);
  const lastClose = shallowRef<CloseInfo | null>(null);
  const stats = shallowRef<SocketStats | null>(null);
  const traces = shallowRef<readonly CloseTrace[]>([]);
  const lastJsonMessage = computed(() => {
    const data = lastMessage.value?.data;
    if (typeof data !== 'string') return null;
    try {
      return JSON.parse(data) as unknown;
    } catch {
      return null;
    }
  });

  let stop: (() => void) | null = null;
  const end = () => {
    stop?.();
    stop = null;
  };
  const start = (href: string) => {
    const sharedAs = share ? shareKey(href, socketOptions) : null;
    const made = sharedAs === null ? new ResilientSocket(href, socketOptions) : acquire(sharedAs, href, socketOptions);
    let live = true;
    const sync = () => {
      if (!live) return;
      state.value = made.state;
      stats.value = made.stats;
      traces.value = made.traces;
    };
    const handlers = {
      message: (event: MessageEvent) => {
        if (!live) return;
        lastMessage.value = event;
        onMessage?.(event);
      },
      open: (info: OpenInfo) => live && onOpen?.(info),
      close: (info: CloseInfo) => {
        if (!live) return;
        lastClose.value = info;
        sync();
        onClose?.(info);
      },
      error: (error: SocketError) => live && onError?.(error),
    };
    made.on('state', sync);
    made.on('trace', sync);
    made.on('message', handlers.message);
    made.on('open', handlers.open);
    made.on('close', handlers.close);
    made.on('error', handlers.error);
    // A shared socket is made idle by its first user: start it (nothing happens once started).
    made.open();
    socket.value = made;
    sync();
    stop = () => {
      live = false;
      made.off('state', sync);
      made.off('trace', sync);
      made.off('message', handlers.message);
      made.off('open', handlers.open);
      made.off('close', handlers.close);
      made.off('error', handlers.error);
      if (sharedAs === null) void made.close();
      else release(sharedAs, made);
      socket.value = null;
      state.value = 'closed';
    };
  };

  watch(
    () => [toValue(url), toValue(enabled)] as const,
    ([href, on]) => {
      end();
      if (on && href !== null && href !== undefined) start(String(href));
    },
    { immediate: true },
  );
  if (getCurrentScope()) onScopeDispose(end);

  return {
    socket,
    state,
    lastMessage,
    lastJsonMessage,
    lastClose,
    stats,
    traces,
    send: (data) => socket.value?.send(data) ?? false,
    sendJson: (value) => socket.value?.send(JSON.stringify(value)) ?? false,
    close: (code, reason) => socket.value?.close(code, reason) ?? null,
    reconnect: () => socket.value?.reconnect(),
  };
}
