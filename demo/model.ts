/**
 * What the page records: one lane per connection (SDK or native) with its
 * timestamps, and a log of rows, one per step. The views read it; the
 * probes (sdk.ts, native.ts) write it.
 */
import type { CloseCause, CloseKind } from '../src/index';

export type Client = 'sdk' | 'native';

/** One connection's life, in epoch ms from the monotonic clock (as the SDK's traces). */
export interface Lane {
  readonly id: string;
  readonly client: Client;
  /** Page-wide number per client: "SDK #3" is the third SDK connection on this page. */
  readonly label: string;
  connectAt: number;
  openAt: number | null;
  closeRequestedAt: number | null;
  closeAt: number | null;
  /** SDK only: when the browser's own close event fired, which after a timeout is long after `closeAt`. */
  nativeCloseAt: number | null;
  kind: CloseKind | null;
  cause: CloseCause | null;
  code: number | null;
  latencyMs: number | null;
}

export type RowEvent = 'connecting' | 'open' | 'closing' | 'closed' | 'diagnosis' | 'browser close' | 'reconnect' | 'offline' | 'final' | 'error';

/** One line of the event log. */
export interface Row {
  readonly seq: number;
  readonly at: number;
  readonly client: Client;
  readonly label: string;
  readonly event: RowEvent;
  readonly kind?: CloseKind;
  readonly cause?: CloseCause;
  readonly code?: number;
  readonly codeName?: string;
  readonly latencyMs?: number | null;
  readonly note?: string;
  /** More than the note has room for: the row's tooltip. */
  readonly detail?: string;
}

/** The clock the SDK stamps traces with. */
export const now = (): number => performance.timeOrigin + performance.now();

/** When the page loaded: times in the views are relative to it. */
export const PAGE_START = now();

const MAX_ROWS = 300;
const MAX_LANES = 200;

export class Store {
  lanes: Lane[] = [];
  rows: Row[] = [];
  /** Bumped on every change, so views redraw only what changed. */
  version = 0;
  private seq = 0;
  private readonly counters: Record<Client, number> = { sdk: 0, native: 0 };
  private readonly listeners = new Set<() => void>();

  /** A new lane for the next connection of `client`. */
  addLane(client: Client, connectAt = now()): Lane {
    const n = ++this.counters[client];
    const lane: Lane = {
      id: `${client}-${n}`,
      client,
      label: `${client === 'sdk' ? 'SDK' : 'native'} #${n}`,
      connectAt,
      openAt: null,
      closeRequestedAt: null,
      closeAt: null,
      nativeCloseAt: null,
      kind: null,
      cause: null,
      code: null,
      latencyMs: null,
    };
    this.lanes.push(lane);
    if (this.lanes.length > MAX_LANES) this.lanes.shift();
    this.changed();
    return lane;
  }

  /** Records a change to a lane made by the caller. */
  touch(): void {
    this.changed();
  }

  log(lane: Lane, event: RowEvent, details: Omit<Row, 'seq' | 'client' | 'label' | 'event' | 'at'> & { at?: number } = {}): void {
    const { at = now(), ...rest } = details;
    this.rows.push({ seq: ++this.seq, at, client: lane.client, label: lane.label, event, ...rest });
    if (this.rows.length > MAX_ROWS) this.rows.shift();
    this.changed();
  }

  clear(): void {
    // Connections still live keep their lanes; finished ones go.
    this.lanes = this.lanes.filter((l) => l.closeAt === null || (l.kind === 'timeout' && l.nativeCloseAt === null));
    this.rows = [];
    this.changed();
  }

  subscribe(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
