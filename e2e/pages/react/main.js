// A React app under StrictMode with one useResilientSocket hook, driven by
// e2e/react.spec.ts through window.setProps(). ?url= is the first URL.
import { StrictMode, createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useResilientSocket } from 'resilient-socket/react';

const w = /** @type {any} */ (window);
w.received = [];
w.states = [];

/** @param {{ url: string, enabled: boolean, heartbeat: object | false }} props */
function Socket({ url, enabled, heartbeat }) {
  // An inline options object, new on every render: it must not reconnect.
  const socket = useResilientSocket(url, {
    enabled,
    heartbeat,
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
  });
  w.setProps = (/** @type {object} */ next) => setProps((previous) => ({ ...previous, ...next }));
  return props.mounted ? h(Socket, props) : h('p', { id: 'state' }, 'unmounted');
}

createRoot(/** @type {HTMLElement} */ (document.getElementById('root'))).render(h(StrictMode, null, h(App)));
