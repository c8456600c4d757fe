/**
 * resilient-socket: a browser WebSocket that traces every close, never waits
 * a minute for a server that does not read, and reconnects by close code.
 *
 * The public surface is listed here explicitly. Deliberately private: the
 * engine adapter around reconnecting-websocket, the queue, the heartbeat and
 * stall watchdogs, the lifecycle listeners, and TracedWebSocket's
 * supervision hooks. `TracedWebSocket` imported alone pulls in neither
 * reconnecting-websocket nor mitt.
 *
 * @packageDocumentation
 */
export { ResilientSocket } from './resilient-socket.js';
export { TracedWebSocket, type SocketCloseEvent } from './traced-websocket.js';
export { toStore, type SocketSnapshot, type SocketStore } from './store.js';
export { diagnose, IDLE_LIMITS_S, type CloseDiagnosis, type DiagnosisCause } from './diagnose.js';
export {
  classifyClose,
  closeCodeName,
  isLocalCode,
  type CloseCause,
  type CloseClassification,
  type CloseFacts,
  type CloseInfo,
  type CloseInitiator,
  type CloseKind,
} from './close-info.js';
export { defaultReconnectPolicy, TRY_AGAIN_LATER_FACTOR, TRY_AGAIN_LATER_MIN_MS } from './policy.js';
export { backoffDelay, type BackoffSettings } from './backoff.js';
export { SocketError, type SocketErrorCode } from './errors.js';
export { redactUrl } from './url.js';
export {
  DEFAULTS,
  HEARTBEAT_DEFAULTS,
  type HeartbeatOptions,
  type JitterMode,
  type Options,
  type ReconnectPolicy,
  type SendData,
  type SocketBinaryType,
  type TracedWebSocketOptions,
  type UrlProvider,
  type NativeEventType,
  type WebSocketConstructor,
  type WebSocketLike,
} from './options.js';
export type { CloseTrace, SocketStats } from './traces.js';
export type { DropInfo, OpenInfo, ReconnectInfo, SocketEvents, SocketState, StateChange } from './events.js';
