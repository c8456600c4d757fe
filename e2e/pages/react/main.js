// A React app under StrictMode with one useResilientSocket hook, driven by
// e2e/bindings.spec.ts through window.setProps(). ?url= is the first URL.
import { StrictMode, createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useResilientSocket } from 'resilient-socket/react';

const w = /** @type {any} */ (window);
w.received = [];
w.states = [];

/** @param {{ url: string, enabled: boolean, heartbeat: object | false, share?: boolean }} props */
function Socket({ url, enabled, heartbeat, share = false }) {
  // An inline options object, new on every render: it must not reconnect.
  const socket = useResilientSocket(url, {
    enabled,
    heartbeat,
    share,
    minReconnectDelay: 100,
    jitter: 'none',
    onMessage: (event) => w.received.push(event.data),
  });
  useEffect(() => {
    w.states.push({ state: socket.state, at: performance.now() });
  }, [socket.state]);
  w.hook = socket;
  return h('p', { id: 'state' }, socket.state);
}

function App() {
  const params = new URLSearchParams(location.search);
  const [props, setProps] = useState({
    url: params.get('url'),
    enabled: params.get('enabled') !== 'false',
    mounted: true,
    heartbeat: params.has('heartbeat') ? JSON.parse(params.get('heartbeat') ?? '') : false,
    renders: 0,
    // ?share: two components asking for the same socket with share: true.
    share: params.has('share'),
    second: true,
  });
  w.setProps = (/** @type {object} */ next) => setProps((previous) => ({ ...previous, ...next }));
  if (!props.mounted) return h('p', { id: 'state' }, 'unmounted');
  if (!props.share) return h(Socket, props);
  return h('div', null, h(Socket, props), props.second ? h('div', { id: 'second' }, h(SharedTwin, props)) : null);
}

/** The second user of a shared socket: the same URL and options. @param {any} props */
function SharedTwin(props) {
  const socket = useResilientSocket(props.url, { enabled: props.enabled, heartbeat: props.heartbeat, share: true, minReconnectDelay: 100, jitter: 'none' });
  return h('span', { className: 'twin' }, socket.state);
}

createRoot(/** @type {HTMLElement} */ (document.getElementById('root'))).render(h(StrictMode, null, h(App)));
