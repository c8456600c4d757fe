/**
 * The IIFE entry for a CDN `<script>` tag: the build exposes the class
 * itself as the single global `ResilientSocket`, and the rest of the public
 * surface as static properties on it (`ResilientSocket.classifyClose`, …).
 *
 * @module
 */
import { backoffDelay } from './backoff.js';
import { classifyClose, closeCodeName } from './close-info.js';
import { SocketError } from './errors.js';
import { DEFAULTS } from './options.js';
import { defaultReconnectPolicy } from './policy.js';
import { ResilientSocket } from './resilient-socket.js';
import { TracedWebSocket } from './traced-websocket.js';
import { redactUrl } from './url.js';

export default Object.assign(ResilientSocket, {
  classifyClose,
  closeCodeName,
  defaultReconnectPolicy,
  backoffDelay,
  redactUrl,
  SocketError,
  DEFAULTS,
  TracedWebSocket,
});
