/**
 * ResilientSocket: the facade. It owns the engine, the current
 * TracedWebSocket, the queue, heartbeat, lifecycle, traces and statistics;
 * it classifies each close, asks the policy, and emits the typed events.
 *
 * @module
 */
import mitt, { type Emitter } from 'mitt';
import { abandonedDelay, abandonedSockets } from './abandoned.js';
import { backoffDelay } from './backoff.js';
import { type CloseInfo, closeCodeName } from './close-info.js';
import { now } from './clock.js';
import { Engine } from './engine.js';
import { SocketError, describe } from './errors.js';
import type { SocketEvents, SocketState } from './events.js';
import { Heartbeat } from './heartbeat.js';
import { diagnosisCause } from './diagnose.js';
import { browserOffline, pageWindow, watchLifecycle } from './lifecycle.js';
import { MAX_TIMER_MS, type Options, type SendData, type Settings, type UrlProvider, type WebSocketLike, normalizeCloseArgs, normalizeOptions } from './options.js';
import { defaultReconnectPolicy } from './policy.js';
import { OutboundQueue, snapshot, toSendData } from './queue.js';
import { StallWatch } from './stall.js';
import { canMove } from './transitions.js';
import { type CloseTrace, RingBuffer, type SocketStats, StatsCollector, UNLOAD_CLOSE_MS, mayBeUnload, unloadClose } from './traces.js';
import { ATTEMPT, type AttemptTarget, type ConnectionHooks, type TracedWebSocket } from './traced-websocket.js';
import { parseSocketUrl } from './url.js';

const READY_STATE: Record<SocketState, number> = {
  // Not started, but messages sent now go out on the first open, as while connecting.
  idle: 0,
  connecting: 0,
  reconnecting: 0,
  offline: 0,
  open: 1,
  closing: 2,
  closed: 3,
};

/**
 * What follows the end of the current connection (or of the wait in
 * progress): the one decision that the state does not show.
 *
 * - `policy`: the reconnect policy decides, from the close.
 * - `stop`: `close()` was called, or the policy said no: nothing follows.
 * - `restart`: `reconnect()` was called while the connection was closing: connect again at once.
 * - `offline`, `pagehide`: wait for `online` or `pageshow`.
 */
type After = 'policy' | 'stop' | 'restart' | 'offline' | 'pagehide';

/**
 * A WebSocket that traces every close, never waits a minute for a server
 * that does not read, and reconnects by close code with jittered backoff.
 *
 * ```ts
 * const socket = new ResilientSocket('wss://example.com/live', { heartbeat: true });
 * socket.on('message', (event) => console.log(event.data));
 * socket.on('close', (info) => console.log(info.kind, info.code, info.latencyMs));
 * socket.send('hello'); // queued until open
 * const info = await socket.close(); // settles within closeTimeout
 * ```
 */
export class ResilientSocket {
  /** As `WebSocket.CONNECTING`. */
  static readonly CONNECTING = 0;
  /** As `WebSocket.OPEN`. */
  static readonly OPEN = 1;
  /** As `WebSocket.CLOSING`. */
  static readonly CLOSING = 2;
  /** As `WebSocket.CLOSED`. */
  static readonly CLOSED = 3;

  readonly #settings: Settings;
  readonly #provider: () => string | URL | Promise<string | URL>;
  readonly #emitter: Emitter<SocketEvents> = mitt<SocketEvents>();
  readonly #engine: Engine;
  readonly #queue: OutboundQueue;
  readonly #traceBuffer: RingBuffer<CloseTrace>;
  readonly #statsCollector = new StatsCollector();
  readonly #traceOf = new WeakMap<TracedWebSocket, CloseTrace>();
  readonly #closeWaiters: Array<(info: CloseInfo) => void> = [];
  #current: TracedWebSocket | null = null;
  #heartbeat: Heartbeat | null = null;
  #stall: StallWatch | null = null;
  #stopLifecycle: (() => void) | null = null;
  #currentState: SocketState = 'connecting';
  #lastUrl: string;
  #connections = 0;
  #retries = 0;
  #lastDelay = 0;
  /** What follows the end of the current connection, or of the wait in progress. See {@link After}. */
  #after: After = 'policy';
  /**
   * Counts the app's calls that change course (close, reconnect) and the
   * page's (offline, pagehide, …), so that an event about to follow can
   * tell whether a handler changed course in between.
   */
  #course = 0;
  #lastClose: CloseInfo | null = null;

  /**
   * Starts connecting at once, or, when `handleOffline` is on and the
   * browser is offline (`navigator.onLine` false), starts in `offline` and
   * connects as soon as it is online. With `startClosed`, stays `idle`
   * until {@link open}.
   * @param url a `ws:`/`wss:` URL (relative and `http(s):` URLs resolve as in `new WebSocket`),
   *   or a function returning one, or a Promise of one, before each attempt.
   * @throws DOMException `SyntaxError` for a malformed or non-ws(s) URL.
   * @throws TypeError, RangeError or DOMException `SyntaxError` for an invalid option, naming it and its value.
   */
  constructor(url: UrlProvider, options?: Options) {
    if (typeof url === 'function') {
      this.#provider = url;
      this.#lastUrl = '';
    } else {
      const parsed = parseSocketUrl(url);
      this.#provider = () => parsed;
      this.#lastUrl = parsed;
    }
    this.#settings = normalizeOptions(options, defaultReconnectPolicy);
    this.#queue = new OutboundQueue(this.#settings.maxQueuedMessages, this.#settings.maxQueuedBytes);
    this.#traceBuffer = new RingBuffer(this.#settings.traceLimit);
    this.#engine = new Engine(
      {
        attempt: () => this.#setState('connecting'),
        resolveUrl: async () => parseSocketUrl(await this.#provider()),
        socketOptions: (target) => this.#socketOptions(target),
        adopt: (socket) => this.#adopt(socket),
      },
      this.#settings.protocols,
      this.#settings.minUptime,
      this.#settings.connectTimeout,
      this.#settings.binaryType,
    );
    if (this.#settings.startClosed) {
      this.#currentState = 'idle';
      return;
    }
    this.#begin();
  }

  /**
   * Starts a socket made with `startClosed`: connects at once (or waits for
   * `online` when the browser is offline). Does nothing once started; after
   * `close()`, `reconnect()` starts again.
   */
  open(): void {
    if (this.#currentState !== 'idle') return;
    this.#course++;
    this.#begin();
  }

  /** The first attempt, from the constructor or open(). */
  #begin(): void {
    this.#watch();
    if (this.#settings.handleOffline && browserOffline()) {
      // A page opened offline (a PWA): wait for `online`, do not burn attempts and backoff.
      this.#after = 'offline';
      this.#setState('offline');
      return;
    }
    if (this.#currentState === 'idle') this.#setState('connecting');
    this.#engine.start(this.#attemptDelay(0));
  }

  /**
   * `"ResilientSocket"`, for `Object.prototype.toString`. It also keeps Vue's
   * `reactive()` and `ref()` from wrapping the socket in a proxy, through
   * which its private fields could not be read.
   */
  get [Symbol.toStringTag](): string {
    return 'ResilientSocket';
  }

  /** The state, as a `WebSocket` `readyState`: 0 connecting (also reconnecting, offline), 1 open, 2 closing, 3 closed. */
  get readyState(): number {
    return READY_STATE[this.state];
  }

  /** The detailed state. See {@link SocketState}. */
  get state(): SocketState {
    this.#noticeClosing();
    return this.#currentState;
  }

  /** The URL of the current or last connection, as `WebSocket.url`; `''` before a URL provider first resolves. */
  get url(): string {
    return this.#lastUrl;
  }

  /**
   * The browser's own socket of the live connection, or `null` between
   * connections. For what the SDK does not surface (`extensions`, say):
   * read from it, but do not call its `close()` or `send()` or set its
   * handlers, which would bypass the SDK.
   */
  get nativeSocket(): WebSocketLike | null {
    return this.#current?.nativeSocket ?? null;
  }

  /** The extensions the server chose on the current connection, or `''`. */
  get extensions(): string {
    return this.#current?.extensions ?? '';
  }

  /** The sub-protocol the server chose on the current connection, or `''`. */
  get protocol(): string {
    return this.#current?.protocol ?? '';
  }

  /** Bytes waiting: in the native socket's buffer plus in the SDK's queue. */
  get bufferedAmount(): number {
    return (this.#current?.bufferedAmount ?? 0) + this.#queue.bytes;
  }

  /**
   * The most recent close traces, oldest first; at most `traceLimit`. A
   * frozen array: the same one on every read until a trace is recorded or
   * updated, so that `useSyncExternalStore` and the like can compare by identity.
   */
  get traces(): readonly CloseTrace[] {
    return this.#traceBuffer.view();
  }

  /**
   * Counts and close-latency percentiles since construction. Frozen, and
   * the same object on every read until a figure changes.
   */
  get stats(): SocketStats {
    return this.#statsCollector.snapshot(abandonedSockets());
  }

  /** Adds an event handler. */
  on<K extends keyof SocketEvents>(type: K, handler: (event: SocketEvents[K]) => void): void {
    this.#emitter.on(type, handler);
  }

  /** Removes an event handler added with {@link on}. */
  off<K extends keyof SocketEvents>(type: K, handler: (event: SocketEvents[K]) => void): void {
    this.#emitter.off(type, handler);
  }

  /**
   * Sends now when open; otherwise queues the message, to be sent in order
   * on the next open. Returns `false` when the message was not accepted:
   * the queue is full, the socket is closed or closing for good, or the
   * message cannot be sent. A `drop` event then carries it. Nothing is
   * dropped silently.
   *
   * Values are converted as `WebSocket.send()` converts them, open or not:
   * anything but a string, Blob, ArrayBuffer or view becomes a string.
   * Binary data queued is copied at once, as the native `send()` copies it.
   * @throws TypeError with no argument, or for a value the browser cannot
   *   convert either (a Symbol).
   */
  send(data: SendData): boolean {
    if (arguments.length === 0) throw new TypeError('send() needs 1 argument, got 0');
    const message = toSendData(data);
    this.#noticeClosing();
    const socket = this.#current;
    if (this.#currentState === 'open' && socket) {
      try {
        socket.send(message);
      } catch (error) {
        this.#sendFailed(message, socket.connection, `send() failed on connection ${socket.connection}`, error);
        return false;
      }
      this.#stall?.sent();
      return true;
    }
    if (this.#currentState === 'closed' || this.#after === 'stop') {
      this.#emit('drop', { data: message, reason: 'closed' });
      return false;
    }
    let copy: SendData;
    try {
      copy = snapshot(message);
    } catch (error) {
      this.#sendFailed(message, null, 'send() cannot queue this message', error);
      return false;
    }
    if (!this.#queue.push(copy)) {
      this.#emit('drop', { data: copy, reason: 'queue-full' });
      return false;
    }
    return true;
  }

  /**
   * Closes for good: no reconnect follows. Waits up to `closeTimeout` for the
   * server's Close echo, then settles with `kind: 'timeout'` and detaches
   * from the native socket (whose late close still lands in the trace).
   *
   * With no connection live (waiting to reconnect, offline), it settles at
   * once with the cancelled attempt, reported as the browser reports a
   * close during CONNECTING: 1006, not clean. Already closed, it settles with
   * the last close.
   *
   * @param code 1000 or 3000–4999, as `WebSocket.close()`.
   * @param reason at most 123 UTF-8 bytes.
   * @throws DOMException `InvalidAccessError` for any other code; DOMException `SyntaxError` for a longer reason.
   */
  close(code?: number, reason?: string): Promise<CloseInfo> {
    const args = normalizeCloseArgs(code, reason);
    this.#noticeClosing();
    if (this.#currentState === 'closed' && this.#lastClose) return Promise.resolve(this.#lastClose);
    // Each call settles with the next close reported: that of the connection it closes.
    const settled = new Promise<CloseInfo>((resolve) => this.#closeWaiters.push(resolve));
    if (this.#after === 'stop') return settled;
    this.#course++;
    this.#after = 'stop';
    this.#unwatch();
    this.#stopWatchdogs();
    const socket = this.#current;
    this.#engine.stop();
    if (socket && socket.state !== 'closed') {
      this.#setState('closing');
      // Closing already on the server's initiative, it still settles within closeTimeout.
      socket.requestClose(args.code ?? 1000, args.reason, 'user', true);
    } else {
      // No connection to close: report the cancelled attempt, as a browser reports close() during CONNECTING.
      this.#current = null;
      this.#report({
        code: 1006,
        codeName: closeCodeName(1006),
        reason: '',
        wasClean: false,
        kind: 'abnormal',
        initiator: 'client',
        cause: 'user',
        latencyMs: 0,
        willReconnect: false,
        nextDelayMs: null,
      }, null);
    }
    return settled;
  }

  /**
   * Connects again now, with the backoff reset. A live connection is
   * abandoned (`cause: 'reconnect'`); a delay in progress, or about to
   * start (from a `close` handler), is cut short; a URL still resolving is
   * abandoned for a fresh attempt; a closed socket starts again. A
   * connection already closing finishes first (within `closeTimeout`), and
   * the next attempt follows at once.
   *
   * While many abandoned sockets are still closing in the browser, the
   * attempt waits a little first (see `stats.abandonedSockets`).
   */
  reconnect(): void {
    this.#course++;
    this.#retries = 0;
    this.#lastDelay = 0;
    this.#noticeClosing();
    const socket = this.#current;
    if (socket?.state === 'closing') {
      this.#after = 'restart';
      this.#watch();
      return;
    }
    if ((socket?.state === 'connecting' || socket?.state === 'open') && this.#after === 'policy') {
      socket.requestClose(1000, 'reconnect', 'reconnect', false);
      return;
    }
    this.#after = 'policy';
    this.#current = null;
    this.#watch();
    const delay = this.#attemptDelay(0);
    this.#setState(delay > 0 ? 'reconnecting' : 'connecting');
    this.#engine.start(delay);
  }

  // ── connections ────────────────────────────────────────────────────────

  /** The options of the connection for an attempt: the SDK's, and the attempt's own. */
  #socketOptions(target: AttemptTarget) {
    if ('url' in target) this.#lastUrl = target.url;
    this.#statsCollector.attempt();
    const { closeTimeout, connectTimeout, redactUrl, WebSocket } = this.#settings;
    return { closeTimeout, connectTimeout, redactUrl, WebSocket, [ATTEMPT]: { connection: ++this.#connections, target, hooks: this.#hooks } };
  }

  #adopt(socket: TracedWebSocket): void {
    this.#current = socket;
    this.#setState('connecting');
  }

  readonly #hooks: ConnectionHooks = {
    open: (socket) => this.#onOpen(socket),
    message: (socket, event) => {
      if (socket !== this.#current) return;
      const heartbeat = this.#heartbeat;
      if (heartbeat) {
        heartbeat.inbound();
        let pong = false;
        try {
          pong = heartbeat.isPong(event.data);
        } catch (error) {
          this.#emit('error', new SocketError('handler', `heartbeat.isPong threw; the message was delivered: ${String(error)}`, socket.connection, error));
        }
        if (pong || socket !== this.#current) return;
      }
      this.#emit('message', event);
    },
    error: (socket, error) => {
      if (socket === this.#current) this.#emit('error', error);
    },
    close: (socket, trace) => this.#onClose(socket, trace),
    lateClose: (socket, trace) => this.#onLateClose(socket, trace),
  };

  #onOpen(socket: TracedWebSocket): void {
    if (socket !== this.#current) return;
    this.#statsCollector.open();
    // Flush in order before anyone hears `open`, so that sends made in `state` or `open` handlers come after.
    // Stops when the connection goes (a handler closed it, or the server's Close frame came): the rest stays queued.
    while (this.#queue.length > 0 && socket === this.#current && (socket.noticeClosing(), socket.state === 'open')) {
      const data = this.#queue.shift()!;
      try {
        socket.send(data);
      } catch (error) {
        // Dropped, not put back: a message the native send() refuses would block the queue for good.
        this.#sendFailed(data, socket.connection, `Flushing the queue failed on connection ${socket.connection}`, error);
      }
    }
    // A `drop` or `error` handler may have closed it meanwhile.
    if (socket !== this.#current || socket.state !== 'open') return;
    this.#startWatchdogs(socket);
    this.#setState('open');
    if (socket !== this.#current || this.#currentState !== 'open') return;
    this.#emit('open', {
      connection: socket.connection,
      url: socket.url,
      protocol: socket.protocol,
      retries: this.#retries,
      connectMs: (socket.openAt ?? socket.connectAt) - socket.connectAt,
    });
  }

  /** Heartbeat and stall watchdogs: one connection's, started on its open and stopped on its close. */
  #startWatchdogs(socket: TracedWebSocket): void {
    const { heartbeat, stallTimeout } = this.#settings;
    if (heartbeat) {
      this.#heartbeat = new Heartbeat(heartbeat, {
        send: (data) => {
          try {
            socket.send(data);
          } catch {
            // A failing send means the socket is going; its close follows.
          }
          this.#stall?.sent();
        },
        dead: () => socket.requestClose(1000, 'heartbeat timeout', 'heartbeat', false),
        failed: (error) =>
          this.#emit('error', new SocketError('handler', `heartbeat.message threw: ${String(error)}`, socket.connection, error)),
      });
      this.#heartbeat.start();
    }
    if (stallTimeout > 0) {
      this.#stall = new StallWatch(stallTimeout, {
        bufferedAmount: () => socket.bufferedAmount,
        stalled: () => socket.requestClose(1000, 'send stalled', 'stall', false),
      });
      this.#stall.sent();
    }
  }

  #onClose(socket: TracedWebSocket, closed: CloseTrace): void {
    const isCurrent = socket === this.#current;
    if (isCurrent) {
      this.#stopWatchdogs();
      this.#current = null;
    }
    const { code, codeName, reason, wasClean, kind, initiator, cause, latencyMs } = closed;
    const base: CloseInfo = { code, codeName, reason, wasClean, kind, initiator, cause, latencyMs, willReconnect: false, nextDelayMs: null };
    const delay = isCurrent ? this.#decide(socket, base) : null;
    const info: CloseInfo =
      delay === null ? base : { ...base, willReconnect: true, nextDelayMs: delay === 'suspended' ? null : delay };
    const trace: CloseTrace = { ...closed, ...info };
    this.#traceBuffer.push(trace);
    this.#traceOf.set(socket, trace);
    this.#statsCollector.diagnosed(diagnosisCause(trace, this.#traceBuffer.view()));
    const restarted = isCurrent && this.#after === 'restart';
    if (restarted) this.#after = 'policy';
    if (typeof delay === 'number') {
      // reconnect() is the app's choice, not a failure: it spends no retry.
      if (cause !== 'reconnect' && !restarted) this.#retries++;
      this.#lastDelay = delay;
      // The run was stopped when close() was called; reconnect() since then asks for a new one.
      if (this.#engine.running) this.#engine.setNextDelay(delay);
      else this.#engine.start(delay);
    } else if (isCurrent && delay === null) {
      this.#after = 'stop';
      this.#engine.stop();
      this.#unwatch();
    } else if (delay === 'suspended') {
      this.#engine.stop();
    }
    this.#report(info, trace, isCurrent ? delay : undefined);
  }

  /**
   * Whether and when to reconnect after the current connection closed:
   * a delay in ms, `'suspended'` to wait for the network or the page, or
   * `null` to stop for good.
   */
  #decide(socket: TracedWebSocket, info: CloseInfo): number | 'suspended' | null {
    const delay = this.#policyDelay(socket, info);
    // Firefox closes a page's sockets itself with 1001 as a navigation away begins, before pagehide
    // (about 250 ms before it in Firefox 153 on loopback): a reconnect drawn shorter would open a
    // connection that the unload then kills. Past the window unloadClose() allows, it was the server's.
    const inPage = this.#settings.handlePageLifecycle && pageWindow() !== null;
    if (typeof delay === 'number' && inPage && mayBeUnload(info)) return Math.max(delay, UNLOAD_CLOSE_MS);
    return delay;
  }

  /** The delay by the course the socket is on, the backoff and the `shouldReconnect` policy. */
  #policyDelay(socket: TracedWebSocket, info: CloseInfo): number | 'suspended' | null {
    if (this.#after === 'stop') return null;
    if (this.#after === 'offline' || this.#after === 'pagehide') return 'suspended';
    if (info.cause === 'reconnect' || this.#after === 'restart') return this.#attemptDelay(0);
    // A connection that stayed up long enough proves the server healthy again.
    if (socket.openAt !== null && now() - socket.openAt >= this.#settings.minUptime) {
      this.#retries = 0;
      this.#lastDelay = 0;
    }
    if (this.#retries >= this.#settings.maxRetries) return null;
    const proposed = backoffDelay(this.#retries + 1, this.#settings, this.#lastDelay);
    let verdict: boolean | number;
    try {
      verdict = this.#settings.shouldReconnect({ ...info, willReconnect: true, nextDelayMs: proposed });
    } catch (error) {
      this.#emit('error', new SocketError('handler', `shouldReconnect threw; the default policy decided instead: ${String(error)}`, socket.connection, error));
      verdict = defaultReconnectPolicy({ ...info, willReconnect: true, nextDelayMs: proposed });
    }
    if (verdict === false) return null;
    if (verdict === true) return this.#attemptDelay(proposed);
    if (typeof verdict === 'number' && Number.isFinite(verdict) && verdict >= 0) return this.#attemptDelay(Math.min(verdict, MAX_TIMER_MS));
    this.#emit('error', new SocketError('handler', `shouldReconnect must return a boolean or a delay of at least 0 ms, got ${describe(verdict)}; the backoff delay was used`, socket.connection));
    return this.#attemptDelay(proposed);
  }

  /**
   * The delay before an attempt: `delay`, or longer while many abandoned
   * sockets are still closing in the browser, so as not to exhaust its pool.
   */
  #attemptDelay(delay: number): number {
    return Math.max(delay, abandonedDelay(abandonedSockets()));
  }

  /** Emits a close and what follows it: trace, state, reconnect, and settles `close()`. */
  #report(info: CloseInfo, trace: CloseTrace | null, delay?: number | 'suspended' | null): void {
    const course = this.#course;
    this.#lastClose = info;
    this.#statsCollector.close(info);
    if (delay !== undefined) {
      if (typeof delay === 'number') this.#setState(delay > 0 ? 'reconnecting' : 'connecting');
      else if (delay === 'suspended') this.#setState('offline');
      else this.#setState('closed');
    } else if (this.#after === 'stop' && !this.#current && this.#currentState !== 'closed' && !this.#engine.running) {
      this.#setState('closed');
    }
    if (this.#currentState === 'closed') this.#releaseQueue();
    this.#emit('close', info);
    if (trace) this.#emit('trace', trace);
    // Unless a handler changed course meanwhile (close() or reconnect() in a `close` handler).
    if (typeof delay === 'number' && course === this.#course) this.#emit('reconnect', { attempt: this.#retries, delayMs: delay });
    for (const resolve of this.#closeWaiters.splice(0)) resolve(info);
  }

  #onLateClose(socket: TracedWebSocket, late: CloseTrace): void {
    const previous = this.#traceOf.get(socket);
    if (!previous) return;
    const { nativeCloseAt, nativeLatencyMs, nativeCode, nativeWasClean } = late;
    const updated: CloseTrace = { ...previous, nativeCloseAt, nativeLatencyMs, nativeCode, nativeWasClean };
    this.#traceBuffer.replace(previous, updated);
    this.#traceOf.set(socket, updated);
    this.#emit('trace', updated);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────

  #watch(): void {
    if (this.#stopLifecycle) return;
    this.#stopLifecycle = watchLifecycle(
      {
        offline: () => this.#suspend('offline'),
        online: () => this.#resume('offline'),
        pagehide: () => this.#suspend('pagehide'),
        pageshow: () => this.#resume('pagehide'),
        unload: () => this.endForUnload(),
      },
      this.#settings.handleOffline,
      this.#settings.handlePageLifecycle,
    );
  }

  #unwatch(): void {
    this.#stopLifecycle?.();
    this.#stopLifecycle = null;
  }

  #suspend(why: 'offline' | 'pagehide'): void {
    if (this.#after === 'stop' || this.#currentState === 'closed') return;
    this.#course++;
    this.#after = why;
    const socket = this.#current;
    if (socket && (socket.state === 'connecting' || socket.state === 'open')) {
      // A page may not send 1001; 1000 with the cause as reason tells the server why.
      socket.requestClose(1000, why, why, false);
    } else {
      this.#engine.stop();
      this.#setState('offline');
    }
  }

  /**
   * The page is being unloaded: the live connection ends now, with a final
   * trace (cause `unload`), and nothing follows. Called on `pagehide`, and
   * by the beacon before it sends, whichever runs first (Chromium runs a
   * window's listeners in the order they were added, capturing or not).
   * Once is enough: later calls do nothing.
   * @internal
   */
  endForUnload(): void {
    if (this.#after === 'stop' && !this.#current) return;
    this.#course++;
    this.#after = 'stop';
    this.#unwatch();
    this.#stopWatchdogs();
    this.#engine.stop();
    const socket = this.#current;
    if (socket && socket.state !== 'closed') return socket.abandon('unload', 'unload');
    // Firefox closes a page's sockets itself, 1001 (Going Away), just before pagehide: that close
    // was the unload, not the server's. Its trace is sent again, corrected (same id).
    const view = this.#traceBuffer.view();
    const last = view.at(-1);
    const corrected = unloadClose(last, now());
    if (corrected) {
      this.#statsCollector.recount(last!.cause, diagnosisCause(last!, view.slice(0, -1)), 'unload', 'unload');
      this.#traceBuffer.replace(last!, corrected);
      this.#emit('trace', corrected);
    }
    if (this.#currentState !== 'closed') {
      this.#setState('closed');
      this.#releaseQueue();
    }
  }

  #resume(why: 'offline' | 'pagehide'): void {
    if (this.#after !== why) return;
    this.#course++;
    // Back from the back/forward cache with no network, or an `online` event while `navigator.onLine`
    // is still false (Chromium fires both on such a restore): wait for the real `online`.
    if (this.#settings.handleOffline && browserOffline()) {
      this.#after = 'offline';
      this.#setState('offline');
      return;
    }
    this.#after = 'policy';
    this.#retries = 0;
    this.#lastDelay = 0;
    if (this.#current) return; // Still closing: its close decides, and connects again now that nothing is suspended.
    const delay = this.#attemptDelay(0);
    this.#setState(delay > 0 ? 'reconnecting' : 'connecting');
    this.#engine.start(delay);
  }

  // ── helpers ────────────────────────────────────────────────────────────

  /**
   * The browser fires nothing when the server's Close frame arrives: the
   * native socket only turns CLOSING, and discards what is sent until its
   * close event (about 2 s in Chromium if the server keeps the TCP
   * connection). Checked whenever the app sends or reads the state, so that
   * `open` never outlives the native socket's OPEN.
   */
  #noticeClosing(): void {
    const socket = this.#current;
    if (this.#currentState !== 'open' || !socket) return;
    socket.noticeClosing();
    if (socket.state !== 'closing') return;
    this.#stopWatchdogs();
    this.#setState('closing');
  }

  /** A message that could not be sent: an `error` (`send-failed`) and a `drop`, in that order. */
  #sendFailed(data: SendData, connection: number | null, what: string, error: unknown): void {
    this.#emit('error', new SocketError('send-failed', `${what}: ${String(error)}`, connection, error));
    this.#emit('drop', { data, reason: 'send-failed' });
  }

  #stopWatchdogs(): void {
    this.#heartbeat?.stop();
    this.#heartbeat = null;
    this.#stall?.stop();
    this.#stall = null;
  }

  #releaseQueue(): void {
    for (const data of this.#queue.drain()) this.#emit('drop', { data, reason: 'closed' });
  }

  /** The one place the state changes, along src/transitions.ts. */
  #setState(state: SocketState): void {
    const previous = this.#currentState;
    if (previous === state) return;
    if (!canMove(previous, state)) reportError(new Error(`resilient-socket: a move from ${previous} to ${state} is not in its state machine`));
    this.#currentState = state;
    this.#emit('state', { state, previous });
  }

  /**
   * Calls every handler, each isolated: a handler that throws is reported as
   * an EventTarget listener's exception is, and the others still run.
   */
  #emit<K extends keyof SocketEvents>(type: K, event: SocketEvents[K]): void {
    const handlers = this.#emitter.all.get(type);
    if (!handlers) return;
    for (const handler of handlers.slice()) {
      try {
        (handler as (e: SocketEvents[K]) => void)(event);
      } catch (error) {
        reportError(error);
      }
    }
  }
}

function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else queueMicrotask(() => {
    throw error;
  });
}
