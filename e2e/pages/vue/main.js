// A Vue app with one useResilientSocket composable, driven by e2e/vue.spec.ts
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
const heartbeat = params.has('heartbeat') ? JSON.parse(params.get('heartbeat') ?? '') : false;

const Socket = defineComponent({
  setup() {
    // The URL is a ref: changing it reconnects.
    const socket = useResilientSocket(url, { enabled, heartbeat, minReconnectDelay: 100, jitter: 'none', onMessage: (event) => w.received.push(event.data) });
    watch(socket.state, (state) => w.states.push({ state, at: performance.now() }), { immediate: true });
    w.hook = socket;
    return () => h('p', { id: 'state' }, socket.state.value);
  },
});

w.setProps = (/** @type {Record<string, any>} */ next) => {
  if ('url' in next) url.value = next.url;
  if ('enabled' in next) enabled.value = next.enabled;
  if ('mounted' in next) mounted.value = next.mounted;
};

createApp({ setup: () => () => (mounted.value ? h(Socket) : h('p', { id: 'state' }, 'unmounted')) }).mount('#root');
