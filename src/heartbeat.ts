/**
 * Heartbeat: proves an open connection alive with application traffic,
 * because a dead or half-open peer fires no browser event at all.
 *
 * Decisions rest on timestamps (deadlines), not on timer ticks alone:
 * Chrome runs timers in hidden tabs as rarely as once a minute, and a late
 * tick must neither miss a death nor invent one.
 *
 * @module
 */
import { now } from './clock.js';
import type { HeartbeatSettings, SendData } from './options.js';
import { type CancelTimer, startTimer } from './timer.js';

/** What the heartbeat needs from the connection it watches. */
export interface HeartbeatIO {
  /** Sends a ping. */
  send(data: SendData): void;
  /** Called once when the connection is declared dead, with the ms waited since the unanswered ping. */
  dead(silentMs: number): void;
  /** Called when the app's `message` function throws; the ping counts as sent, so its deadline holds. */
  failed(error: unknown): void;
}

/** A tick this much later than planned may have followed a frozen page: look once more before declaring death. */
export const LATE_TICK_MS = 1_000;

/** Watches one open connection. */
export class Heartbeat {
  #cancelTimer: CancelTimer | undefined;
  #lastInbound = 0;
  #pingSentAt: number | null = null;
  #plannedAt = 0;
  #graceUsed = false;

  readonly #settings: HeartbeatSettings;
  readonly #io: HeartbeatIO;

  constructor(settings: HeartbeatSettings, io: HeartbeatIO) {
    this.#settings = settings;
    this.#io = io;
  }

  /** Starts watching, counting from now. */
  start(): void {
    this.#lastInbound = now();
    this.#pingSentAt = null;
    this.#schedule(this.#settings.interval);
  }

  /** Stops watching and clears its timer. */
  stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  /** Any inbound message proves the peer alive. */
  inbound(): void {
    this.#lastInbound = now();
    this.#pingSentAt = null;
    this.#graceUsed = false;
  }

  /** Whether `data` is the server's pong, to be consumed rather than emitted. */
  isPong(data: unknown): boolean {
    return this.#settings.isPong(data);
  }

  // Each tick schedules the next: a chain that Chromium would throttle to once a minute in a
  // hidden tab, were it not for startTimer (see src/timer.ts).
  #schedule(ms: number): void {
    this.#cancelTimer?.();
    this.#plannedAt = now() + ms;
    this.#cancelTimer = startTimer(Math.max(0, ms), this.#tick);
  }

  readonly #tick = (): void => {
    this.#cancelTimer = undefined;
    const t = now();
    const { interval, timeout } = this.#settings;
    if (this.#pingSentAt !== null) {
      const deadline = this.#pingSentAt + timeout;
      if (t < deadline) return this.#schedule(deadline - t);
      // After a late tick, let inbound messages queued behind it run before judging.
      if (t - this.#plannedAt > LATE_TICK_MS && !this.#graceUsed) {
        this.#graceUsed = true;
        return this.#schedule(0);
      }
      this.#io.dead(t - this.#pingSentAt);
      return;
    }
    const due = this.#lastInbound + interval;
    if (t < due) return this.#schedule(due - t);
    const { message } = this.#settings;
    this.#pingSentAt = t;
    this.#schedule(timeout);
    let data: SendData;
    try {
      data = typeof message === 'function' ? message() : message;
    } catch (error) {
      return this.#io.failed(error);
    }
    this.#io.send(data);
  };
}
