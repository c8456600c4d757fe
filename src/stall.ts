/**
 * Send-backlog watchdog: a peer that stops reading lets `bufferedAmount`
 * grow and never fall. This watches it only while something is buffered,
 * so an idle connection runs no timer.
 *
 * @module
 */
import { now } from './clock.js';
import { type CancelTimer, startTimer } from './timer.js';

/** What the watchdog needs from the connection it watches. */
export interface StallIO {
  bufferedAmount(): number;
  /** Called once when the backlog has not fallen for the whole timeout. */
  stalled(stuckMs: number): void;
}

/** How often the backlog is sampled, as a share of the timeout, within bounds. */
export function samplePeriod(timeout: number): number {
  return Math.min(1_000, Math.max(25, Math.floor(timeout / 4)));
}

/** Watches one open connection's send backlog. */
export class StallWatch {
  #cancelTimer: CancelTimer | undefined;
  #lowest = 0;
  #since = 0;

  readonly #timeout: number;
  readonly #io: StallIO;

  constructor(timeout: number, io: StallIO) {
    this.#timeout = timeout;
    this.#io = io;
  }

  /** Call after each send: starts sampling if a backlog has appeared. */
  sent(): void {
    if (this.#cancelTimer !== undefined || this.#io.bufferedAmount() === 0) return;
    this.#lowest = this.#io.bufferedAmount();
    this.#since = now();
    this.#cancelTimer = startTimer(samplePeriod(this.#timeout), this.#sample);
  }

  /** Stops sampling. */
  stop(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  readonly #sample = (): void => {
    this.#cancelTimer = undefined;
    const buffered = this.#io.bufferedAmount();
    if (buffered === 0) return;
    const t = now();
    if (buffered < this.#lowest) {
      this.#lowest = buffered;
      this.#since = t;
    } else if (t - this.#since >= this.#timeout) {
      this.#io.stalled(t - this.#since);
      return;
    }
    this.#cancelTimer = startTimer(samplePeriod(this.#timeout), this.#sample);
  };
}
