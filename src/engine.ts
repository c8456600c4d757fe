/**
 * The reconnect engine: reconnecting-websocket 4.4.0, kept behind this one
 * module so that the rest of the SDK never meets its quirks. It drives the
 * connect–close–connect loop; this adapter decides every delay and owns
 * every timer that matters.
 *
 * How each known defect of 4.4.0 is neutralised here
 * (line numbers refer to its `reconnecting-websocket.ts`):
 *
 * 1. Error and timeout paths report a clean 1000 close (L397–409, L459).
 *    The library drives TracedWebSockets through a subclass that never
 *    hands it `error` (nor `message`) listeners, so its error path never
 *    runs; its own connection timeout is set to the largest timer delay and
 *    the real one lives in TracedWebSocket. The SDK reads every close from
 *    TracedWebSocket, never from the library. The subclass also ignores the
 *    library's `close()`: the SDK closes each socket itself, with a cause.
 * 2. Stuck for good after `maxRetries` (L361–364), and
 * 3. stuck after `close()` during backoff (L377–379): every run of the
 *    engine gets a fresh library instance, so a stuck instance is simply
 *    dropped; `maxRetries` is enforced by the SDK and the library gets
 *    `Infinity`.
 * 4. The backoff timer cannot be cancelled (L327–331): the library's own
 *    delay is always 0, and the real delay is a timer of this adapter,
 *    cleared by {@link Engine.stop}. A stopped run never calls the URL
 *    provider again.
 * 5. A rejecting URL provider or a throwing constructor leaves an unhandled
 *    rejection (L373–389): the provider handed to the library never
 *    rejects, and a failure reaches the SDK as a connection that fails with
 *    `cause: 'url'`. A provider that never settles fails the attempt after
 *    `connectTimeout` (`cause: 'connect-timeout'`): the timeout covers the
 *    whole attempt, URL resolution included.
 * 7. One random minimum delay per page (L41): all delay options are passed
 *    explicitly (as 0), so the import-time draw is never used; jitter is
 *    drawn per attempt by the SDK's backoff.
 * 8. Silent loss at `maxEnqueuedMessages` (L258): the library's queue is
 *    never used (`maxEnqueuedMessages: 0`, and nothing is sent through it);
 *    the SDK's queue announces every drop.
 *
 * (6, the missing close-code policy, is the SDK's reconnect policy.)
 *
 * @module
 */
import ReconnectingWebSocket from 'reconnecting-websocket';
import { now } from './clock.js';
import { MAX_TIMER_MS, type SocketBinaryType, type TracedWebSocketSettings } from './options.js';
import { type CancelTimer, inFreshTask, startTimer } from './timer.js';
import { type AttemptTarget, TracedWebSocket } from './traced-websocket.js';

/** What the engine asks of its owner. */
export interface EngineHooks {
  /** An attempt begins now: the URL is about to be resolved. */
  attempt(): void;
  /** Resolves the URL for the next attempt; may throw or reject. */
  resolveUrl(): string | Promise<string>;
  /** The settings (with the attempt's own) of the traced socket for an attempt, from the URL or the reason there is none. */
  socketOptions(target: AttemptTarget): TracedWebSocketSettings;
  /** The traced socket of an attempt was built: the owner hears of it before the library. */
  adopt(socket: TracedWebSocket): void;
}

/** Drives connection attempts. One run lasts from {@link start} to {@link stop}. */
export class Engine {
  #rws: ReconnectingWebSocket | null = null;
  #active = false;
  #cancelStart: CancelTimer | undefined;
  #run = 0;
  #nextDelay = 0;
  #cancelWait: CancelTimer | undefined;
  #endWait: (() => void) | null = null;
  /** Abandons the URL resolution in progress, and its timeout. */
  #endAttempt: (() => void) | null = null;
  #pending: AttemptTarget | null = null;
  readonly #socketClass: typeof TracedWebSocket;

  readonly #hooks: EngineHooks;
  readonly #protocols: string[];
  readonly #minUptime: number;
  readonly #connectTimeout: number;
  readonly #binaryType: SocketBinaryType;

  constructor(hooks: EngineHooks, protocols: string[], minUptime: number, connectTimeout: number, binaryType: SocketBinaryType) {
    this.#hooks = hooks;
    this.#protocols = protocols;
    this.#minUptime = minUptime;
    this.#connectTimeout = connectTimeout;
    this.#binaryType = binaryType;
    const take = (): TracedWebSocketSettings => {
      const target = this.#pending ?? { error: new Error('no URL was resolved for this attempt'), timedOut: false, startedAt: now() };
      this.#pending = null;
      return this.#hooks.socketOptions(target);
    };
    const adopt = (socket: TracedWebSocket): void => this.#hooks.adopt(socket);
    const deferred = new WeakMap<object, EventListener>();
    // What the library builds with `new WS(url, protocols)`: a TracedWebSocket with the library's quirks kept out.
    this.#socketClass = class EngineSocket extends TracedWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, take());
        adopt(this);
      }

      override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
        // Defect 1: the library's error path reports a clean 1000; it never hears of an error.
        if (type === 'error' || type === 'message' || !listener) return;
        if (type !== 'close') return super.addEventListener(type, listener);
        // On a close the library sets a setTimeout(…, 0) before the next attempt. The close may come from
        // deep in an app's timer chain (reconnect()), where a hidden tab would run that timer a minute late.
        const call = typeof listener === 'function' ? listener : (event: Event) => listener.handleEvent(event);
        const wrapped = (event: Event) => inFreshTask(() => call(event));
        deferred.set(listener, wrapped);
        super.addEventListener(type, wrapped);
      }

      override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
        // Never added (see addEventListener), so there is nothing to remove.
        if (type === 'error' || type === 'message' || !listener) return;
        super.removeEventListener(type, (type === 'close' && deferred.get(listener)) || listener);
      }

      /** The library calls it when its run is stopped; the SDK closes each socket itself, with a cause. */
      override close(): void {}
    };
  }

  /** Whether a run is under way. */
  get running(): boolean {
    return this.#active;
  }

  /**
   * Starts a run, abandoning any run under way (a backoff wait, a URL
   * still resolving): its first attempt begins after `delay` ms.
   */
  start(delay = 0): void {
    this.stop();
    const run = this.#run;
    this.#active = true;
    this.#nextDelay = delay;
    // The library's constructor sets a setTimeout(…, 0) before its first attempt; called from deep in an
    // app's timer chain, a hidden tab would run it a minute late (see src/timer.ts).
    this.#cancelStart = inFreshTask(() => {
      this.#cancelStart = undefined;
      if (run === this.#run) this.#create(run);
    });
  }

  #create(run: number): void {
    this.#rws = new ReconnectingWebSocket(() => this.#provide(run), this.#protocols.length ? this.#protocols : undefined, {
      WebSocket: this.#socketClass,
      // Always explicit: the library's default minimum is drawn once at import (L41).
      minReconnectionDelay: 0,
      maxReconnectionDelay: 0,
      reconnectionDelayGrowFactor: 1,
      minUptime: this.#minUptime,
      // The real connect timeout is TracedWebSocket's; the library's would report 1000 (L392–395).
      connectionTimeout: MAX_TIMER_MS,
      maxRetries: Infinity,
      maxEnqueuedMessages: 0,
      startClosed: false,
      debug: false,
    });
    // Its default ('blob') would replace the SDK's on every socket it builds.
    this.#rws.binaryType = this.#binaryType;
  }

  /**
   * Sets the delay before the attempt that follows the close about to be
   * reported to the library. Call it before the socket's close reaches the engine.
   */
  setNextDelay(ms: number): void {
    this.#nextDelay = ms;
  }

  /** Ends the run: no further attempt, no timer left, the URL provider not called again. */
  stop(): void {
    this.#run++;
    this.#active = false;
    this.#cancelStart?.();
    this.#cancelStart = undefined;
    const rws = this.#rws;
    this.#rws = null;
    this.#pending = null;
    // Sets the library's closed flag first, so that the released wait below constructs nothing.
    rws?.close();
    this.#endWait?.();
    this.#endAttempt?.();
  }

  /**
   * The URL provider handed to the library. It waits out the delay on a timer
   * this adapter owns, then resolves the URL within `connectTimeout`. It
   * never rejects (defect 5).
   */
  #provide(run: number): Promise<string> {
    return new Promise<string>((resolve) => {
      const attempt = (): void => {
        this.#cancelWait?.();
        this.#cancelWait = undefined;
        this.#endWait = null;
        if (run === this.#run) this.#hooks.attempt();
        // The hook may have stopped the run (a `state` handler that calls close()).
        if (run !== this.#run) return resolve('');
        const startedAt = now();
        let settled = false;
        const settle = (target: AttemptTarget): void => {
          if (settled) return;
          settled = true;
          this.#endAttempt = null;
          cancelTimeout();
          if (run === this.#run) this.#pending = target;
          resolve('url' in target ? target.url : '');
        };
        const cancelTimeout = startTimer(this.#connectTimeout, () => settle({ error: null, timedOut: true, startedAt }));
        // On stop(): the run has moved on, so this settles with no target and the library builds nothing.
        this.#endAttempt = () => settle({ error: null, timedOut: false, startedAt });
        Promise.resolve()
          .then(() => this.#hooks.resolveUrl())
          .then(
            (url) => settle({ url, startedAt }),
            (error: unknown) => settle({ error, timedOut: false, startedAt }),
          );
      };
      if (run !== this.#run) return resolve('');
      const delay = this.#nextDelay;
      this.#nextDelay = 0;
      if (delay <= 0) return attempt();
      this.#endWait = attempt;
      this.#cancelWait = startTimer(delay, attempt);
    });
  }
}
