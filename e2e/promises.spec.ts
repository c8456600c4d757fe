/**
 * The SDK's promises in real Chromium where pages break them: data the
 * browser discards after a server's Close frame, buffers reused after
 * send(), values that are not strings, input converted as the native
 * WebSocket converts it, secrets in URLs, handlers that throw, and
 * abandoned sockets piling up in the browser.
 */
import { engineOf } from './engines.js';
import { eventsOf, expect, test, waitForEvents } from './fixtures';

const waitForState = (page: import('@playwright/test').Page, state: string, id = 0) =>
  page.evaluate(
    async ([s, i]) => {
      const socket = (window as any).sockets[i];
      // Reading `state` is what lets the SDK see the native socket turn CLOSING: the browser fires no event.
      for (let n = 0; n < 500 && socket.state !== s; n++) await new Promise((r) => setTimeout(r, 10));
      return socket.state as string;
    },
    [state, id] as const,
  );

// Chromium keeps the native socket CLOSING after the server's Close frame while the server holds the
// TCP stream, and discards what is sent meanwhile; Firefox fires `close` at once. Either way nothing is lost.
test('after the server’s Close frame, sends are queued for the next connection, not discarded', async ({ harness, server, browserName }) => {
  await harness.evaluate((u) => (window as any).make(u, { minReconnectDelay: 1000, jitter: 'none' }), server.url('close-and-hold', { code: 1012, after: 100 }));
  await waitForEvents(harness, 'open');
  const after = engineOf(browserName).closingAfterServerClose ? 'closing' : 'reconnecting';
  expect(await waitForState(harness, after)).toBe(after);
  const sent = await harness.evaluate(() => Array.from({ length: 20 }, (_, i) => (window as any).sockets[0].send(`m${i}`)));
  expect(sent.every(Boolean)).toBe(true);
  await waitForEvents(harness, 'open', 2, 0, 15_000);
  await expect.poll(() => server.router.received('close-and-hold').length).toBe(20);
  expect(server.router.received('close-and-hold')).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
  expect(await eventsOf(harness, 'drop')).toEqual([]);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('after the server’s Close frame with no reconnect to follow, sends are dropped with drop', async ({ harness, server, browserName }) => {
  await harness.evaluate((u) => (window as any).make(u), server.url('close-and-hold', { code: 1000, after: 100 }));
  await waitForEvents(harness, 'open');
  const after = engineOf(browserName).closingAfterServerClose ? 'closing' : 'closed';
  expect(await waitForState(harness, after)).toBe(after);
  await harness.evaluate(() => {
    for (let i = 0; i < 20; i++) (window as any).sockets[0].send(`m${i}`);
  });
  const [close] = await waitForEvents(harness, 'close', 1, 0, 15_000);
  expect(close!.data).toMatchObject({ code: 1000, initiator: 'server', willReconnect: false });
  const drops = await eventsOf(harness, 'drop');
  expect(drops.map((d) => d.data.reason)).toEqual(Array(20).fill('closed'));
  expect(server.router.received('close-and-hold')).toEqual([]);
});

test('binary data is sent as it was at send() time, queued or not', async ({ harness, server }) => {
  const echoed = await harness.evaluate(async (u) => {
    const socket = new (window as any).ResilientSocket(u, { binaryType: 'arraybuffer' });
    const got: number[][] = [];
    const done = new Promise<void>((resolve) =>
      socket.on('message', (e: MessageEvent) => {
        got.push([...new Uint8Array(e.data as ArrayBuffer)]);
        if (got.length === 3) resolve();
      }),
    );
    const reused = new Uint8Array([1, 1, 1, 1]);
    socket.send(reused); // queued: not open yet
    reused.fill(9);
    const transferred = new Uint8Array([5, 6]).buffer;
    socket.send(transferred);
    structuredClone(transferred, { transfer: [transferred] });
    await new Promise((r) => socket.on('open', r));
    const live = new Uint8Array([3, 3]);
    socket.send(live); // open: the native send() copies at once
    live.fill(7);
    await done;
    await socket.close();
    return got;
  }, server.url('echo'));
  expect(echoed).toEqual([
    [1, 1, 1, 1],
    [5, 6],
    [3, 3],
  ]);
});

test('values that are not strings are sent as the native send() sends them, queued or not', async ({ harness, server }) => {
  const url = server.url('echo');
  const result = await harness.evaluate(async (u) => {
    const values = [undefined, null, {}, 42];
    const socket = new (window as any).ResilientSocket(u, { maxQueuedBytes: 1000 });
    const accepted = values.map((v) => socket.send(v));
    const bounded = socket.send({ toString: () => 'x'.repeat(5000) });
    await new Promise((r) => socket.on('open', r));
    for (const v of values) socket.send(v);
    const native = new WebSocket(u);
    await new Promise((r) => (native.onopen = r));
    for (const v of values) native.send(v as any);
    await new Promise((r) => setTimeout(r, 300));
    native.close();
    await socket.close();
    return { accepted, bounded };
  }, url);
  expect(result).toEqual({ accepted: [true, true, true, true], bounded: false });
  const strings = ['undefined', 'null', '[object Object]', '42'];
  expect(server.router.received('echo')).toEqual([...strings, ...strings, ...strings]);
});

test('close() codes and protocols are converted exactly as the native WebSocket converts them', async ({ harness, server }) => {
  const url = server.url('echo');
  const outcomes = await harness.evaluate(async (u) => {
    const attempt = (run: () => unknown) => {
      try {
        run();
        return 'ok';
      } catch (e: any) {
        return e.name as string;
      }
    };
    const codes: unknown[] = ['1000', 1000.5, 3000.7, 4999.4, 2999.4, 1001, NaN, null, '3000x'];
    const out: Array<{ input: string; native: string; sdk: string }> = [];
    for (const code of codes) {
      const native = new WebSocket(u);
      await new Promise((r) => (native.onopen = r));
      const sdk = new (window as any).ResilientSocket(u);
      await new Promise((r) => sdk.on('open', r));
      out.push({ input: `close(${String(code)})`, native: attempt(() => native.close(code as number)), sdk: attempt(() => sdk.close(code)) });
      native.close();
      await sdk.close().catch(() => {});
      if (sdk.state !== 'closed') await sdk.close();
    }
    const protocols: unknown[] = [[1], new Set(['a', 'b']), 7, {}, ['a b'], ['a', 'a']];
    for (const p of protocols) {
      let native = 'ok';
      try {
        new WebSocket(u, p as string[]).close();
      } catch (e: any) {
        native = e.name;
      }
      let sdk = 'ok';
      try {
        const s = new (window as any).ResilientSocket(u, { protocols: p });
        await s.close();
      } catch (e: any) {
        sdk = e.name;
      }
      out.push({ input: `protocols ${p instanceof Set ? 'Set' : JSON.stringify(p)}`, native, sdk });
    }
    return out;
  }, url);
  for (const o of outcomes) expect({ input: o.input, sdk: o.sdk }).toEqual({ input: o.input, sdk: o.native });
  expect(outcomes.filter((o) => o.native === 'ok').length).toBeGreaterThanOrEqual(6);
});

test('a token in a URL never reaches an error message or its cause', async ({ harness, server }) => {
  const found = await harness.evaluate(async (u) => {
    const errors: Array<{ message: string; cause: string; code: string }> = [];
    const socket = new (window as any).ResilientSocket(() => `${u}?token=SECRET-TOKEN#x`, { minReconnectDelay: 50, jitter: 'none' });
    socket.on('error', (e: any) => errors.push({ code: e.code, message: e.message, cause: `${e.cause?.message} ${e.cause?.stack}` }));
    await new Promise((r) => setTimeout(r, 300));
    await socket.close();
    let thrown = '';
    try {
      new (window as any).ResilientSocket(`${u}?token=SECRET-TOKEN#x`);
    } catch (e: any) {
      thrown = `${e.message} ${e.stack}`;
    }
    return { errors, thrown, traces: JSON.stringify(socket.traces) };
  }, server.url('echo'));
  expect(found.errors.length).toBeGreaterThan(0);
  expect(found.errors[0]!.code).toBe('url');
  expect(JSON.stringify(found)).not.toContain('SECRET-TOKEN');
  expect(found.thrown).toContain('fragment');
});

test('an isPong that throws is an error event, and the message still arrives', async ({ harness, server }) => {
  await harness.evaluate(
    (u) => {
      const socket = new (window as any).ResilientSocket(u, {
        heartbeat: {
          isPong: () => {
            throw new Error('parser bug');
          },
        },
      });
      (window as any).sockets.push(socket);
      (window as any).got = { messages: [] as string[], errors: [] as string[] };
      socket.on('message', (e: MessageEvent) => (window as any).got.messages.push(e.data));
      socket.on('error', (e: any) => (window as any).got.errors.push(e.code));
      socket.on('open', () => socket.send('hello'));
    },
    server.url('echo'),
  );
  await expect.poll(() => harness.evaluate(() => (window as any).got.messages)).toEqual(['hello']);
  expect(await harness.evaluate(() => (window as any).got.errors)).toEqual(['handler']);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('abandoned sockets still closing are counted, and attempts slow down before the browser runs out', async ({ harness, server }) => {
  test.setTimeout(90_000);
  const result = await harness.evaluate(async (u) => {
    const socket = new (window as any).ResilientSocket(u, { closeTimeout: 100 });
    const delays: number[] = [];
    const errors: string[] = [];
    socket.on('reconnect', (e: any) => delays.push(e.delayMs));
    socket.on('error', (e: any) => errors.push(e.code));
    let peak = 0;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => (socket.state === 'open' ? r(null) : socket.on('open', r)));
      // The server never reads: each abandoned native socket stays CLOSING in Chromium for 60 s.
      socket.reconnect();
      peak = Math.max(peak, socket.stats.abandonedSockets);
    }
    const last = socket.traces.at(-1);
    await socket.close();
    return { peak, delays, errors, lastAbandoned: last.abandonedSockets, after: socket.stats.abandonedSockets };
  }, server.url('never-reads', { hello: '' }));
  test.info().annotations.push({ type: 'abandoned peak / reconnect delays', description: `${result.peak} / ${result.delays.join(',')}` });
  expect(result.peak).toBeGreaterThanOrEqual(40);
  expect(result.lastAbandoned).toBeGreaterThanOrEqual(39);
  expect(result.after).toBeGreaterThanOrEqual(40);
  // From 32 abandoned sockets on, each attempt waits 250 ms more.
  expect(result.delays.slice(0, 31).every((d: number) => d === 0)).toBe(true);
  expect(result.delays.at(-1)).toBeGreaterThanOrEqual(2_000);
  expect(result.errors).toEqual([]);
  // close() cancelled the 41st attempt during its wait.
  expect(server.router.accepted('never-reads')).toBe(40);
});
