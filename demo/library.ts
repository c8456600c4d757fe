/**
 * The "Inside graphql-ws" panel: two graphql-ws clients against a server
 * that acknowledges the connection and then stops reading, one on the
 * native WebSocket, one on TracedWebSocket. Shut down both at once and
 * watch how long each waits for its `closed` event.
 */
import { createClient } from 'graphql-ws';
import { TracedWebSocket } from '../src/index';
import { formatMs } from './format';

type Lane = 'native' | 'traced';

interface Row {
  state: HTMLElement;
  time: HTMLElement;
}

/** Wires the panel: `button` starts a race, `rows` show each lane, `closeTimeout()` reads the options form. */
export function setupLibraryPanel(button: HTMLButtonElement, rows: Record<Lane, Row>, closeTimeout: () => number): void {
  let running = false;
  button.addEventListener('click', async () => {
    if (running) return;
    running = true;
    button.disabled = true;
    const url = `${location.origin.replace(/^http/, 'ws')}/ws/lib/graphql-never-reads`;
    const impls: Record<Lane, unknown> = { native: WebSocket, traced: TracedWebSocket.with({ closeTimeout: closeTimeout() }) };
    const lanes = (['native', 'traced'] as const).map((lane) => {
      const row = rows[lane];
      row.state.textContent = 'connecting';
      row.state.dataset.state = 'connecting';
      row.time.textContent = '';
      const client = createClient({ url, lazy: false, retryAttempts: 0, webSocketImpl: impls[lane] });
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      return { lane, row, client, connected, closedAt: 0 };
    });
    await Promise.all(lanes.map((l) => l.connected));
    const start = performance.now();
    const ticker = setInterval(() => {
      for (const l of lanes) if (!l.closedAt) l.row.time.textContent = `waiting ${formatMs(performance.now() - start)}`;
    }, 100);
    await Promise.all(
      lanes.map(
        (l) =>
          new Promise<void>((resolve) => {
            l.client.on('closed', (event) => {
              l.closedAt = performance.now();
              const { code, wasClean } = event as CloseEvent;
              l.row.state.textContent = `closed ${code}${wasClean ? '' : ', not clean'}`;
              l.row.state.dataset.state = 'closed';
              l.row.time.textContent = `closed after ${formatMs(l.closedAt - start)}`;
              resolve();
            });
            l.row.state.textContent = 'closing';
            l.row.state.dataset.state = 'closing';
            void l.client.dispose();
          }),
      ),
    );
    clearInterval(ticker);
    running = false;
    button.disabled = false;
  });
}
