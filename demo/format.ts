/** Formatting shared by the views. */
import { PAGE_START } from './model';

/** `843 ms`, `4210 ms`, `60.0 s`; `—` for none. Whole ms below 10 s, so a close latency reads exactly. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Time since the page loaded, as `mm:ss.mmm`. */
export function formatClock(at: number): string {
  const ms = Math.max(0, at - PAGE_START);
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${String(minutes).padStart(2, '0')}:${seconds.toFixed(3).padStart(6, '0')}`;
}

/** Seconds with one decimal, for live durations: `12.3 s`. */
export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}
