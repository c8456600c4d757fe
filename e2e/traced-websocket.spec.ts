/**
 * TracedWebSocket in real Chromium, from the IIFE (`ResilientSocket.TracedWebSocket`):
 * the native WebSocket's interface, side by side with the native socket,
 * and the honest close against a server that never reads.
 */
import { expect, test } from './fixtures';

test('behaves as the native WebSocket: constants, handlers, binaryType, send while CONNECTING, close validation', async ({ harness, server }) => {
  const url = server.url('echo');
  const results = await harness.evaluate(async (u) => {
    const run = async (Ctor: any) => {
      const out: Record<string, unknown> = {};
      const ws = new Ctor(u, 'chat');
      ws.binaryType = 'arraybuffer';
      out.constants = [Ctor.OPEN, ws.OPEN, ws.CLOSING, ws.readyState];
      out.eventTarget = ws instanceof EventTarget;
      try {
        ws.send('too early');
        out.earlySend = 'ok';
      } catch (e: any) {
        out.earlySend = e.name;
      }
      const order: string[] = [];
      ws.addEventListener('open', () => order.push('listener'));
      ws.onopen = () => order.push('onopen');
      await new Promise((r) => ws.addEventListener('open', r));
      out.order = order;
      out.protocol = ws.protocol;
      const message = new Promise<any>((r) => (ws.onmessage = (e: MessageEvent) => r(e)));
      ws.send(new Uint8Array([1, 2, 3]));
      const event = await message;
      out.message = [event instanceof MessageEvent, event.data instanceof ArrayBuffer, [...new Uint8Array(event.data)]];
      try {
        ws.close(1001);
        out.badClose = 'ok';
      } catch (e: any) {
        out.badClose = e.name;
      }
      const closed = new Promise<any>((r) => (ws.onclose = (e: CloseEvent) => r([e.code, e.wasClean, e.reason])));
      ws.close(1000, 'bye');
      out.readyStateAfterClose = ws.readyState;
      out.close = await closed;
      out.finalReadyState = ws.readyState;
      return out;
    };
    return { native: await run(WebSocket), traced: await run((window as any).ResilientSocket.TracedWebSocket) };
  }, url);
  expect(results.traced).toEqual(results.native);
  expect(results.traced).toMatchObject({ earlySend: 'InvalidStateError', badClose: 'InvalidAccessError', close: [1000, true, 'bye'], finalReadyState: 3 });
});

test('against a server that never reads: close fires within closeTimeout, 1006 and not clean, where the native socket waits', async ({ harness, server }) => {
  const result = await harness.evaluate(async (u) => {
    const Traced = (window as any).ResilientSocket.TracedWebSocket.with({ closeTimeout: 1000 });
    const ws = new Traced(u);
    await new Promise((r) => (ws.onopen = r));
    const native = new WebSocket(u);
    await new Promise((r) => (native.onopen = r));
    let nativeClosed = false;
    native.onclose = () => (nativeClosed = true);
    const t0 = performance.now();
    const closed = new Promise<any>((r) => (ws.onclose = (e: CloseEvent) => r({ code: e.code, wasClean: e.wasClean, ms: performance.now() - t0 })));
    ws.close();
    native.close();
    const info = await closed;
    return { info, trace: ws.trace, nativeState: native.readyState, nativeClosed };
  }, server.url('never-reads'));
  expect(result.info).toMatchObject({ code: 1006, wasClean: false });
  // Against Chromium's 60 s; the margin absorbs a loaded machine.
  expect(result.info.ms).toBeLessThan(1000 + 1000);
  expect(result.trace).toMatchObject({ kind: 'timeout', cause: 'user', initiator: 'client', wasClean: false, nativeCloseAt: null });
  expect(result.nativeState).toBe(2);
  expect(result.nativeClosed).toBe(false);
});

test('what the page can observe of the engine: error before an abnormal close, and attempts that follow a failure to the same host', async ({ harness, server }) => {
  const traces = await harness.evaluate(
    async ([reject, reset]) => {
      const T = (window as any).ResilientSocket.TracedWebSocket;
      const run = (url: string) =>
        new Promise<any>((resolve) => {
          const ws = new T(url);
          ws.addEventListener('close', () => resolve(ws.trace));
        });
      // The drop first: after a failure to this host, Firefox may hold the next connection back.
      const dropped = await run(reset);
      const first = await run(reject);
      const second = await run(reject);
      return { first, second, dropped };
    },
    [server.url('reject', { status: 503 }), server.url('reset', { after: 200 })] as const,
  );
  // A refused upgrade: the browser fires error, then close 1006.
  expect(traces.first).toMatchObject({ code: 1006, afterFailureMs: null });
  expect(traces.first.nativeErrorAt).toBeGreaterThanOrEqual(traces.first.connectAt);
  // The second attempt to that host began right after the first failed, and says so.
  expect(traces.second.afterFailureMs).toBeGreaterThanOrEqual(0);
  expect(traces.second.afterFailureMs).toBeLessThan(5_000);
  // An open connection whose TCP stream the server drops: neither Chromium nor Firefox fires error.
  expect(traces.dropped).toMatchObject({ code: 1006, kind: 'abnormal', afterFailureMs: null, nativeErrorAt: null });
});
