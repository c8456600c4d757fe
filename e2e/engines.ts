/**
 * What each engine does on its own, as the suite measures it. Specs that
 * assert an engine's native behaviour read it from here, and the README's
 * "Browsers" table states the same figures.
 */
export type Engine = 'chromium' | 'firefox';

export interface EngineFacts {
  /** How long the browser waits for a Close echo before it fires `close` 1006 itself (ms). */
  nativeCloseTimeoutMs: number;
  /**
   * After a server's Close frame on a connection whose TCP stream the server
   * keeps open: `true` if the native socket stays CLOSING until the stream
   * ends (Chromium, about 2 s), `false` if `close` fires at once (Firefox).
   */
  closingAfterServerClose: boolean;
  /** The page error or console error text the engine prints for a WebSocket that fails to connect or is cut by a navigation. */
  networkErrors: RegExp[];
  /**
   * On a navigation away, the engine closes the page's open sockets itself
   * (1001 Going Away, handshake completed) before `pagehide`: Firefox. In
   * Chromium they are still open at `pagehide`.
   */
  closesBeforePagehide: boolean;
}

export const ENGINE: Record<Engine, EngineFacts> = {
  chromium: {
    nativeCloseTimeoutMs: 60_000,
    closingAfterServerClose: true,
    networkErrors: [/WebSocket connection to '.*' failed/, /WebSocket is closed before the connection is established/],
    closesBeforePagehide: false,
  },
  firefox: {
    nativeCloseTimeoutMs: 20_000,
    closingAfterServerClose: false,
    networkErrors: [/Firefox can.t establish a connection to the server at ws/, /The connection to ws.* was interrupted while the page was loading/],
    closesBeforePagehide: true,
  },
};

/** The facts of the engine a Playwright project runs in. */
export function engineOf(browserName: string): EngineFacts {
  const facts = ENGINE[browserName as Engine];
  if (!facts) throw new Error(`No engine facts for ${browserName}`);
  return facts;
}
