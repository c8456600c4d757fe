/**
 * The demo page: wires the controls to a ResilientSocket and a native
 * WebSocket connected to the same scenario, and redraws the views.
 */
import type { Options } from '../src/index';
import { renderChart } from './chart';
import { setupLibraryPanel } from './library';
import { formatMs, formatSeconds } from './format';
import { type Client, Store, now } from './model';
import { NativeProbe, READY_STATE_NAMES } from './native';
import { SdkProbe } from './sdk';
import { renderStats } from './stats';
import { renderLanes, renderLog } from './timeline';

const HELP: Record<string, string> = {
  'never-reads': 'Accepts, sends "hello", and never reads again, like a gorilla/websocket handler with no read loop. Press Close: the SDK gives up after closeTimeout; the native socket stays CLOSING until Chromium drops it at 60 s.',
  echo: 'Echoes messages and answers the closing handshake: a clean close in a few ms. Kill connection drops it with no Close frame.',
  'slow-close': 'Answers the Close frame after 500 ms. Below closeTimeout the close is clean, with its latency measured.',
  reset: 'Drops each new client’s first connection 1.5 s after it opens, with no Close frame (1006). The SDK reconnects; the native socket stays closed.',
  'close-1012': 'Closes each new client’s first connection with 1012 Service Restart after 1.5 s. Clean, from the server; the SDK reconnects after its backoff.',
  silent: 'Accepts, then neither reads nor writes: a half-open peer that fires no browser event. Turn the heartbeat on to detect it.',
  restart: 'An echo server. Restart server takes it down for 3 s: connections drop, new ones are refused, then it comes back.',
};

const RESTART_DOWN_MS = 3000;
const TICK_MS = 250;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  scenario: $<HTMLSelectElement>('scenario'),
  help: $('scenario-help'),
  connect: $<HTMLButtonElement>('connect'),
  close: $<HTMLButtonElement>('close'),
  kill: $<HTMLButtonElement>('kill'),
  restart: $<HTMLButtonElement>('restart'),
  offline: $<HTMLButtonElement>('offline'),
  form: $<HTMLFormElement>('options'),
  apply: $<HTMLButtonElement>('apply'),
  error: $('options-error'),
  heartbeat: $<HTMLInputElement>('heartbeat'),
  serverChip: $('server-chip'),
  networkChip: $('network-chip'),
  lanes: $('lanes'),
  log: $<HTMLTableElement>('log').tBodies[0]!,
  chart: $('chart'),
  stats: $('stats'),
  clear: $<HTMLButtonElement>('clear'),
};

const store = new Store();
let sdk: SdkProbe | null = null;
let sdkStateSince = now();
let native: NativeProbe | null = null;
/** The scenario both sockets are connected to. */
let scenario = ui.scenario.value;
let closeTimeout: number | null = null;
let run = 0;
let offline = false;
let restartUpAt = 0;

function socketUrl(path: string, client: string): string {
  const url = new URL(`/ws/${path}`, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // The demo server faults each client's first connection only (see scenario-plugin.ts).
  url.searchParams.set('client', client);
  return url.href;
}

function numberField(id: string): number {
  const input = $<HTMLInputElement>(id);
  // An empty field is NaN, which the SDK rejects with a message naming the option.
  return input.value.trim() === '' ? NaN : Number(input.value);
}

function readOptions(): Options {
  return {
    closeTimeout: numberField('closeTimeout'),
    minReconnectDelay: numberField('minReconnectDelay'),
    maxReconnectDelay: numberField('maxReconnectDelay'),
    heartbeat: ui.heartbeat.checked ? { interval: numberField('hbInterval'), timeout: numberField('hbTimeout') } : false,
  };
}

function showError(error: unknown): void {
  ui.error.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  ui.error.hidden = false;
}

/** Closes the current sockets, then connects a new pair with the current options. */
async function connect(): Promise<void> {
  ui.connect.disabled = ui.apply.disabled = true;
  ui.error.hidden = true;
  try {
    if (offline) setOffline(false);
    native?.close();
    // Close the old socket first; against a server that never reads this takes closeTimeout.
    await sdk?.close();
    run++;
    scenario = ui.scenario.value;
    const options = readOptions();
    try {
      sdk = new SdkProbe(socketUrl(scenario, `sdk-${run}`), options, store);
    } catch (error) {
      sdk = null;
      showError(error);
      return;
    }
    closeTimeout = options.closeTimeout ?? null;
    sdkStateSince = now();
    sdk.socket.on('state', () => (sdkStateSince = now()));
    native = new NativeProbe(socketUrl(scenario, `native-${run}`), store);
  } finally {
    ui.connect.disabled = ui.apply.disabled = false;
    render();
  }
}

function close(): void {
  void sdk?.close();
  native?.close();
}

async function control(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`/__demo/${path}`, { method: 'POST' });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(String(body.error ?? response.statusText));
  return body;
}

async function restartServer(): Promise<void> {
  const { downForMs } = await control(`restart?ms=${RESTART_DOWN_MS}`);
  restartUpAt = now() + Number(downForMs);
  render();
}

function setOffline(value: boolean): void {
  offline = value;
  // The SDK listens for these on window; a real network change fires the same events.
  window.dispatchEvent(new Event(offline ? 'offline' : 'online'));
  ui.offline.setAttribute('aria-pressed', String(offline));
  ui.offline.textContent = offline ? 'Go back online' : 'Simulate offline';
  render();
}

// ── views ────────────────────────────────────────────────────────────────

function lastClose(client: Client): string {
  const lane = store.lanes.filter((l) => l.client === client && l.closeAt !== null).at(-1);
  if (!lane) return '';
  const latency = lane.latencyMs === null ? '' : ` · ${formatMs(lane.latencyMs)}`;
  return `last close: ${lane.label} ${lane.kind} · ${lane.code} · ${lane.cause}${latency}`;
}

function renderStatus(): void {
  const sdkState = $('sdk-state');
  const sdkSince = $('sdk-since');
  if (sdk) {
    const { socket } = sdk;
    sdkState.textContent = socket.state.toUpperCase();
    sdkState.dataset.state = socket.state;
    sdkSince.textContent = `for ${formatSeconds(now() - sdkStateSince)} · readyState ${socket.readyState} · ${scenario}`;
  } else if (run > 0) {
    sdkState.textContent = 'NONE';
    sdkState.dataset.state = 'idle';
    sdkSince.textContent = 'the options were rejected: fix them and press Apply';
  }
  $('sdk-last').textContent = lastClose('sdk');

  const nativeState = $('native-state');
  const nativeSince = $('native-since');
  if (native) {
    const name = READY_STATE_NAMES[native.readyState] ?? 'CLOSED';
    nativeState.textContent = name;
    nativeState.dataset.state = name.toLowerCase();
    nativeSince.textContent = `for ${formatSeconds(now() - native.stateSince)} · readyState ${native.readyState} · ${scenario}`;
  }
  const waiting = native?.readyState === WebSocket.CLOSING;
  $('native-last').textContent = waiting ? 'waiting for the Close echo; Chromium gives up at 60 s' : lastClose('native');

  const down = restartUpAt - now();
  ui.serverChip.dataset.up = String(down <= 0);
  ui.serverChip.textContent = down > 0 ? `restart server: down, back in ${formatSeconds(down)}` : 'restart server: up';
  ui.networkChip.dataset.online = String(!offline);
  ui.networkChip.textContent = offline ? 'network: offline (simulated)' : 'network: online';
}

let logVersion = -1;

function render(): void {
  renderStatus();
  renderLanes(ui.lanes, store);
  renderChart(ui.chart, store.lanes, closeTimeout);
  $('chart-timeout').textContent = formatMs(closeTimeout);
  renderStats(ui.stats, sdk?.socket.stats ?? null);
  if (store.version !== logVersion) {
    logVersion = store.version;
    renderLog(ui.log, store.rows);
  }
}

let scheduled = false;
store.subscribe(() => {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
});

// ── controls ─────────────────────────────────────────────────────────────

function showHelp(): void {
  ui.help.textContent = HELP[ui.scenario.value] ?? '';
}

const report = (error: unknown) => showError(error);
ui.scenario.addEventListener('change', showHelp);
ui.connect.addEventListener('click', () => void connect().catch(report));
ui.close.addEventListener('click', close);
ui.kill.addEventListener('click', () => void control(`kill?scenario=${encodeURIComponent(scenario)}`).catch(report));
ui.restart.addEventListener('click', () => void restartServer().catch(report));
ui.offline.addEventListener('click', () => setOffline(!offline));
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void connect().catch(report);
});
ui.clear.addEventListener('click', () => store.clear());

setupLibraryPanel(
  $<HTMLButtonElement>('lib-race'),
  {
    native: { state: $('lib-native-state'), time: $('lib-native-time') },
    traced: { state: $('lib-traced-state'), time: $('lib-traced-time') },
  },
  () => {
    const ms = numberField('closeTimeout');
    return Number.isFinite(ms) && ms >= 0 ? ms : 1000;
  },
);

showHelp();
render();
setInterval(render, TICK_MS);
window.addEventListener('resize', render);
