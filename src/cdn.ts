/**
 * The IIFE entry for a CDN `<script>` tag: the build exposes the class
 * itself as the single global `ResilientSocket`, and the rest of the public
 * surface as static properties on it (`ResilientSocket.classifyClose`, …).
 *
 * @module
 */
import { backoffDelay } from './backoff';
import { classifyClose, closeCodeName } from './close-info';
import { SocketError } from './errors';
import { DEFAULTS } from './options';
import { defaultReconnectPolicy } from './policy';
import { ResilientSocket } from './resilient-socket';
import { redactUrl } from './url';

export default Object.assign(ResilientSocket, {
  classifyClose,
  closeCodeName,
  defaultReconnectPolicy,
  backoffDelay,
  redactUrl,
  SocketError,
  DEFAULTS,
});
