/**
 * The other side of the comparison: a plain browser WebSocket, traced by
 * hand the same way, with no timeout and no reconnect. Against a server
 * that never reads, it sits in CLOSING until Chromium gives up (60 s).
 */
import { classifyClose } from '../src/index';
import { type Lane, type Store, now } from './model';
import { formatMs } from './format';

export const READY_STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

export class NativeProbe {
  readonly ws: WebSocket;
  readonly lane: Lane;
  private closingSeenAt: number | null = null;

  constructor(url: string, private readonly store: Store) {
    this.lane = store.addLane('native');
    store.log(this.lane, 'connecting', { note: new URL(url).pathname });
    this.ws = new WebSocket(url);
    this.ws.addEventListener('open', () => {
      this.lane.openAt = now();
      store.log(this.lane, 'open', { note: `connected in ${formatMs(this.lane.openAt - this.lane.connectAt)}` });
    });
    this.ws.addEventListener('close', (event) => this.onClose(event));
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  /** When the current readyState began, as far as the page can tell. */
  get stateSince(): number {
    const { lane } = this;
    switch (this.ws.readyState) {
      case WebSocket.CONNECTING:
        return lane.connectAt;
      case WebSocket.OPEN:
        return lane.openAt ?? lane.connectAt;
      case WebSocket.CLOSING:
        // A close the server started is seen only by polling.
        this.closingSeenAt ??= now();
        return lane.closeRequestedAt ?? this.closingSeenAt;
      default:
        return lane.closeAt ?? now();
    }
  }

  /** `ws.close(1000)`; during CONNECTING, deferred to the open (closing earlier makes Chromium log an error). */
  close(): void {
    const { ws, lane } = this;
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.addEventListener('open', () => this.close(), { once: true });
      return;
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    lane.closeRequestedAt = now();
    ws.close(1000, 'demo');
    this.store.log(lane, 'closing', { note: 'ws.close(1000): no timeout of its own' });
  }

  private onClose(event: CloseEvent): void {
    const { lane } = this;
    lane.closeAt = now();
    const requested = lane.closeRequestedAt !== null;
    const { kind, initiator, codeName } = classifyClose({ code: event.code, wasClean: event.wasClean, requestedByClient: requested, timedOut: false });
    lane.kind = kind;
    lane.cause = requested ? 'user' : initiator === 'server' ? 'server' : 'network';
    lane.code = event.code;
    lane.latencyMs = requested ? lane.closeAt - lane.closeRequestedAt! : null;
    this.store.log(lane, 'closed', {
      kind,
      cause: lane.cause,
      code: event.code,
      codeName,
      latencyMs: lane.latencyMs,
      note: `${initiator}${event.reason ? ` "${event.reason}"` : ''}, no reconnect`,
    });
  }
}
