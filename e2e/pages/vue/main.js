// A Vue app with one useResilientSocket composable, driven by e2e/bindings.spec.ts
// through window.setProps(). ?url= is the first URL.
import { createApp, defineComponent, h, ref, watch } from 'vue';
import { useResilientSocket } from 'resilient-socket/vue';

const w = /** @type {any} */ (window);
w.received = [];
w.states = [];
const params = new URLSearchParams(location.search);
const url = ref(params.get('url'));
const enabled = ref(params.get('enabled') !== 'false');
const mounted = ref(true);
// ?share: two components asking for the same socket with share: true.
const share = params.has('share');
const second = ref(true);
const heartbeat = params.has('heartbeat') ? JSON.parse(params.get('heartbeat') ?? '') : false;

const Socket = defineComponent({
  setup() {
    // The URL is a ref: changing it reconnects.
    const socket = useResilientSocket(url, { enabled, heartbeat, share, minReconnectDelay: 100, jitter: 'none', onMessage: (event) => w.received.push(event.data) });
    watch(socket.state, (state) => w.states.push({ state, at: performance.now() }), { immediate: true });
    w.hook = socket;
    return () => h('p', { id: 'state' }, socket.state.value);
  },
});

/** The second user of a shared socket: the same URL and options. */
const SharedTwin = defineComponent({
  setup() {
    const socket = useResilientSocket(url, { enabled, heartbeat, share: true, minReconnectDelay: 100, jitter: 'none' });
    return () => h('span', { class: 'twin' }, socket.state.value);
  },
});

w.setProps = (/** @type {Record<string, any>} */ next) => {
  if ('second' in next) second.value = next.second;
  if ('url' in next) url.value = next.url;
  if ('enabled' in next) enabled.value = next.enabled;
  if ('mounted' in next) mounted.value = next.mounted;
};

createApp({
  setup: () => () => {
    if (!mounted.value) return h('p', { id: 'state' }, 'unmounted');
    return h('div', null, [h(Socket), share && second.value ? h(SharedTwin) : null]);
  },
}).mount('#root');
