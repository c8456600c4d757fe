/**
 * The SDK side of the comparison: a ResilientSocket whose events become
 * lanes and log rows. Everything shown comes from the public events; the
 * close rows come from `trace`, which carries the connection number and
 * the SDK's own timestamps.
 */
import { type CloseTrace, type Options, ResilientSocket, diagnose } from '../src/index';
import { type Lane, type Store, now } from './model';
import { formatMs } from './format';

export class SdkProbe {
  readonly socket: ResilientSocket;
  private readonly lanes = new Map<number, Lane>();
  private readonly closingLogged = new WeakSet<Lane>();
  private lastConnection = 0;
  private current: Lane | null = null;

  /** @throws what `new ResilientSocket` throws for a bad URL or option. */
  constructor(url: string, options: Options, private readonly store: Store) {
    this.socket = new ResilientSocket(url, options);
    const socket = this.socket;
    // The first attempt starts in the constructor, which emits no `state`.
    this.connecting();
    socket.on('state', ({ state }) => {
      // `state` comes before the previous connection's `trace`; wait for it to know the next number.
      if (state === 'connecting') queueMicrotask(() => this.connecting());
      if (state === 'closing' && this.current) this.requested(this.current, 'user');
      // `offline` and `closed` come before the close's `trace` too: log them after it.
      const lane = this.current;
      if (state === 'offline' && lane) queueMicrotask(() => store.log(lane, 'offline', { note: 'waiting for the browser to come back online' }));
      if (state === 'closed' && lane) queueMicrotask(() => store.log(lane, 'final', { note: 'closed for good: no reconnect' }));
    });
    socket.on('open', (info) => {
      const lane = this.laneFor(info.connection, now() - info.connectMs);
      lane.openAt = now();
      const retries = info.retries ? `, after ${info.retries} ${info.retries === 1 ? 'retry' : 'retries'}` : '';
      store.log(lane, 'open', { note: `connected in ${formatMs(info.connectMs)}${retries}` });
    });
    socket.on('trace', (trace) => this.onTrace(trace));
    socket.on('reconnect', ({ attempt, delayMs }) => {
      if (this.current) store.log(this.current, 'reconnect', { note: `attempt ${attempt} in ${formatMs(delayMs)}` });
    });
    socket.on('error', (error) => {
      const lane = (error.connection !== null && this.lanes.get(error.connection)) || this.current;
      if (lane) store.log(lane, 'error', { note: `${error.code}: ${error.message}` });
    });
  }

  /** Closes for good; settles within `closeTimeout`. */
  close(): Promise<unknown> {
    return this.socket.close(1000, 'demo');
  }

  private connecting(): void {
    if (this.socket.state !== 'connecting' || this.lanes.has(this.lastConnection + 1)) return;
    const lane = this.laneFor(this.lastConnection + 1, now());
    this.store.log(lane, 'connecting', { note: this.socket.url ? new URL(this.socket.url).pathname : '' });
  }

  private laneFor(connection: number, connectAt: number): Lane {
    this.lastConnection = Math.max(this.lastConnection, connection);
    let lane = this.lanes.get(connection);
    if (!lane) {
      lane = this.store.addLane('sdk', connectAt);
      this.lanes.set(connection, lane);
    }
    this.current = lane;
    return lane;
  }

  private requested(lane: Lane, cause: string, at = now()): void {
    if (this.closingLogged.has(lane)) return;
    this.closingLogged.add(lane);
    lane.closeRequestedAt = at;
    this.store.log(lane, 'closing', { at, note: `close requested (${cause})` });
  }

  private onTrace(trace: CloseTrace): void {
    const lane = this.lanes.get(trace.connection) ?? this.laneFor(trace.connection, trace.connectAt);
    if (lane.closeAt !== null) {
      // The second trace of a connection: the browser's own close, after the SDK stopped waiting.
      lane.nativeCloseAt = trace.nativeCloseAt;
      const clean = trace.nativeWasClean ? 'clean' : 'not clean';
      // No kind badge: the kind is the SDK's verdict, already logged; this row is the browser's own event.
      this.store.log(lane, 'browser close', {
        at: trace.nativeCloseAt ?? now(),
        code: trace.nativeCode ?? undefined,
        latencyMs: trace.nativeLatencyMs,
        note: `the browser's own close event, ${clean}, ${formatMs(trace.nativeLatencyMs)} after close()`,
      });
      return;
    }
    if (trace.closeRequestedAt !== null) this.requested(lane, trace.cause, trace.closeRequestedAt);
    Object.assign(lane, {
      connectAt: trace.connectAt,
      openAt: trace.openAt,
      closeRequestedAt: trace.closeRequestedAt,
      closeAt: trace.closeAt,
      nativeCloseAt: trace.nativeCloseAt,
      kind: trace.kind,
      cause: trace.cause,
      code: trace.code,
      latencyMs: trace.latencyMs,
    });
    const next = trace.willReconnect
      ? trace.nextDelayMs === null
        ? 'reconnects when back online'
        : `reconnects in ${formatMs(trace.nextDelayMs)}`
      : 'no reconnect';
    const waiting = trace.kind === 'timeout' && trace.nativeCloseAt === null ? '; the browser is still closing' : '';
    this.store.log(lane, 'closed', {
      at: trace.closeAt,
      kind: trace.kind,
      cause: trace.cause,
      code: trace.code,
      codeName: trace.codeName,
      latencyMs: trace.latencyMs,
      note: `${trace.initiator}${trace.reason ? ` "${trace.reason}"` : ''}, ${next}${waiting}`,
    });
    // What diagnose() makes of it, given the socket's earlier traces (as stats.closesByDiagnosis counts it).
    const { cause, summary, fix } = diagnose(trace, this.socket.traces);
    this.store.log(lane, 'diagnosis', { at: trace.closeAt, note: `${cause}: ${summary}`, detail: `Fix: ${fix}` });
  }
}
