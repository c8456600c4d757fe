/**
 * The demo's Vite plugin: mounts the e2e scenario router on Vite's own dev
 * server, so `npm start` needs nothing else running.
 *
 * - WebSocket upgrades under `/ws/` go to the router (`/ws/echo`,
 *   `/ws/never-reads`, …); every other upgrade, such as Vite's HMR socket,
 *   is left to Vite.
 * - `/ws/close-1012` is an alias of `/ws/close-with-code?code=1012`.
 * - `/ws/restart` is an echo server that `POST /__demo/restart` takes down
 *   for a while: live connections are dropped and new upgrades refused.
 * - `POST /__demo/kill?scenario=echo` drops a scenario's live connections
 *   without a Close frame.
 * - Upgrades under `/ws/lib/` go to the protocol-library peers of
 *   e2e/servers/libraries.js (`/ws/lib/graphql-never-reads`: graphql-ws
 *   acknowledged, then no more reading), for the "Inside graphql-ws" panel.
 *
 * The router counts a fault's `times` per path over its whole life. The demo
 * wants one fault per Connect press instead, so the page tags each socket
 * with `?client=…` and the plugin gives each new client the fault on its
 * first connection only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin } from 'vite';
import { createLibraryRouter } from '../e2e/servers/libraries.js';
import { createScenarioRouter } from '../e2e/servers/scenarios.js';

const PREFIX = '/ws';

/** How long `POST /__demo/restart` keeps the restart server down, unless `?ms=` says otherwise. */
const DEFAULT_DOWN_MS = 3000;

/** Demo paths that are a scenario with preset parameters; the page may still override them. */
const ALIASES: Record<string, { scenario: string; params: Record<string, string> }> = {
  'close-1012': { scenario: 'close-with-code', params: { code: '1012', reason: 'service restart', after: '1500' } },
  reset: { scenario: 'reset', params: { after: '1500' } },
};

export function scenarioPlugin(): Plugin {
  return {
    name: 'resilient-socket-demo-scenarios',
    apply: 'serve',
    async configureServer(server) {
      const router = createScenarioRouter({ prefix: PREFIX });
      const libraries = await createLibraryRouter();
      // A router of its own, so that going down drops only the restart server's connections.
      const restartRouter = createScenarioRouter({ prefix: PREFIX });
      const faulted = new Set<string>();
      let downUntil = 0;
      let upTimer: ReturnType<typeof setTimeout> | undefined;

      /** The fault's `times` for this client: its first connection only. */
      function faultOnce(scenario: string, client: string): string {
        const key = `${scenario}\n${client}`;
        if (faulted.has(key)) return '0';
        faulted.add(key);
        return String(router.accepted(scenario) + 1);
      }

      function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (!url.pathname.startsWith(`${PREFIX}/`)) return; // Vite's HMR socket and anything else.
        const name = url.pathname.slice(PREFIX.length + 1);
        if (name.startsWith('lib/')) {
          req.url = `/${name.slice('lib/'.length)}${url.search}`;
          if (!libraries.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        if (name === 'restart') {
          // Down: refuse as a stopped process does, with no HTTP answer at all.
          if (Date.now() < downUntil) return void socket.destroy();
          req.url = `${PREFIX}/echo`;
          restartRouter.handleUpgrade(req, socket, head);
          return;
        }
        const alias = ALIASES[name];
        if (alias) {
          const params = new URLSearchParams(alias.params);
          for (const [key, value] of url.searchParams) params.set(key, value);
          const client = url.searchParams.get('client');
          if (client && !url.searchParams.has('times')) params.set('times', faultOnce(alias.scenario, client));
          req.url = `${PREFIX}/${alias.scenario}?${params}`;
        }
        if (!router.handleUpgrade(req, socket, head)) {
          socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        }
      }

      function kill(scenario: string): number {
        if (scenario === 'restart') return restartRouter.kill();
        return router.kill(ALIASES[scenario]?.scenario ?? scenario);
      }

      function restart(ms: number): void {
        downUntil = Date.now() + ms;
        restartRouter.kill();
        clearTimeout(upTimer);
        upTimer = setTimeout(() => (downUntil = 0), ms);
        upTimer.unref();
      }

      function control(req: IncomingMessage, res: ServerResponse, next: () => void): void {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const reply = (status: number, body: object) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify(body));
        };
        if (url.pathname === '/status') {
          return reply(200, { restartUp: Date.now() >= downUntil, downForMs: Math.max(0, downUntil - Date.now()), live: router.live() + restartRouter.live() });
        }
        if (req.method !== 'POST') return next();
        if (url.pathname === '/kill') {
          const scenario = url.searchParams.get('scenario') ?? '';
          if (!scenario) return reply(400, { error: 'The `scenario` query parameter is required' });
          return reply(200, { scenario, killed: kill(scenario) });
        }
        if (url.pathname === '/restart') {
          const ms = Number(url.searchParams.get('ms') ?? DEFAULT_DOWN_MS);
          if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) return reply(400, { error: `\`ms\` must be from 0 to 60000, got ${url.searchParams.get('ms')}` });
          restart(ms);
          return reply(200, { downForMs: ms });
        }
        next();
      }

      server.middlewares.use('/__demo', control);
      const http = server.httpServer;
      if (!http) return; // Middleware mode: the host application owns the upgrades.
      http.on('upgrade', onUpgrade);
      http.once('close', () => {
        clearTimeout(upTimer);
        http.off('upgrade', onUpgrade);
        router.closeAll();
        restartRouter.closeAll();
        void libraries.close();
      });
    },
  };
}
