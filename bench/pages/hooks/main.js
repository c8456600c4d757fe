// One UI hook per page, chosen by ?client=, connected to ?url= (a half-open
// peer): every open lands in window.opens with its wall-clock time.
// bench/lib/hooks.js builds this page with Vite and reads window.opens.
import { StrictMode, createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import useWebSocket from 'react-use-websocket';
import { createApp, defineComponent } from 'vue';
import { useWebSocket as useVueWebSocket } from '@vueuse/core';
import { useResilientSocket } from 'resilient-socket/react';
import { useResilientSocket as useResilientSocketVue } from 'resilient-socket/vue';

const w = /** @type {any} */ (window);
const params = new URLSearchParams(location.search);
const client = params.get('client');
const url = /** @type {string} */ (params.get('url'));
// Comparable settings: a ping each second, the peer declared dead after 1 s more without a reply, retry after 100 ms.
const INTERVAL = 1000;
const TIMEOUT = 1000;
const RETRY = 100;
w.opens = [];
const opened = () => w.opens.push(performance.timeOrigin + performance.now());

function Ours() {
  useResilientSocket(url, { heartbeat: { interval: INTERVAL, timeout: TIMEOUT }, minReconnectDelay: RETRY, jitter: 'none', onOpen: opened });
  return null;
}

function ReactUseWebSocket() {
  // Its heartbeat timeout counts from the last message, so interval + timeout matches ours.
  useWebSocket(url, {
    heartbeat: { message: 'ping', returnMessage: 'pong', interval: INTERVAL, timeout: INTERVAL + TIMEOUT },
    shouldReconnect: () => true,
    reconnectAttempts: 1000,
    reconnectInterval: RETRY,
    onOpen: opened,
  });
  return null;
}

const VueUse = defineComponent({
  setup() {
    useVueWebSocket(url, { heartbeat: { message: 'ping', interval: INTERVAL, pongTimeout: TIMEOUT }, autoReconnect: { retries: 1000, delay: RETRY }, onConnected: opened });
    return () => null;
  },
});

const OursVue = defineComponent({
  setup() {
    useResilientSocketVue(url, { heartbeat: { interval: INTERVAL, timeout: TIMEOUT }, minReconnectDelay: RETRY, jitter: 'none', onOpen: opened });
    return () => null;
  },
});

const root = /** @type {HTMLElement} */ (document.getElementById('root'));
if (client === 'resilient-socket/react') createRoot(root).render(h(StrictMode, null, h(Ours)));
else if (client === 'react-use-websocket') createRoot(root).render(h(StrictMode, null, h(ReactUseWebSocket)));
else if (client === 'resilient-socket/vue') createApp(OursVue).mount(root);
else if (client === '@vueuse/core') createApp(VueUse).mount(root);
else throw new Error(`unknown client ${client}`);
w.benchReady = true;
