/**
 * Resilience in real Chromium: heartbeat, close-code policy, restarts,
 * offline/online, the back/forward cache, queue overflow, retries running
 * out, and rapid random calls that must leave nothing behind.
 */
import { startRestartableServer } from './servers/restartable.js';
import { eventsOf, expect, test, waitForEvents } from './fixtures';

const pendingTimers = (page: import('@playwright/test').Page) => page.evaluate(() => (window as any).pendingTimers.size as number);

test('the heartbeat detects a silent peer within interval + timeout and reconnects', async ({ harness, server }) => {
  const interval = 500;
  const timeout = 400;
  await harness.evaluate(
    ([u, i, t]) => (window as any).make(u, { heartbeat: { interval: i, timeout: t }, minReconnectDelay: 100, jitter: 'none' }),
    [server.url('silent'), interval, timeout] as const,
  );
  const [open] = await waitForEvents(harness, 'open');
  const [close] = await waitForEvents(harness, 'close');
  const detection = close!.at - open!.at;
  test.info().annotations.push({ type: 'silent detection ms', description: detection.toFixed(0) });
  expect(close!.data).toMatchObject({ kind: 'abnormal', initiator: 'client', cause: 'heartbeat', code: 1006, wasClean: false, willReconnect: true });
  expect(detection).toBeGreaterThanOrEqual(interval + timeout - 5);
  // A silent peer is otherwise never detected; the margin absorbs a loaded machine.
  expect(detection).toBeLessThan(interval + timeout + 1000);
  await waitForEvents(harness, 'open', 2);
  expect(server.router.accepted('silent')).toBe(2);
  await harness.evaluate(() => (window as any).sockets[0].close());
  expect(await pendingTimers(harness)).toBe(0);
});

test('no false heartbeat death while pongs flow, and pongs are not emitted as messages', async ({ harness, server }) => {
  // A ping after every 100 ms of silence. The pong may take up to 1 s: a loaded 2-core machine stalled a
  // 150 ms timeout once, which is the network being slow, not the heartbeat being wrong.
  await harness.evaluate((u) => (window as any).make(u, { heartbeat: { interval: 100, timeout: 1000 } }), server.url('heartbeat'));
  await waitForEvents(harness, 'open');
  // About twenty pings.
  await harness.waitForTimeout(2000);
  expect(await eventsOf(harness, 'close')).toHaveLength(0);
  expect(await eventsOf(harness, 'message')).toHaveLength(0);
  await harness.evaluate(() => (window as any).sockets[0].send('data'));
  const [message] = await waitForEvents(harness, 'message');
  expect(message!.data.data).toBe('data');
  expect(server.router.accepted('heartbeat')).toBe(1);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('a server restart is followed by a reconnect, and messages flow again', async ({ harness }) => {
  const restartable = await startRestartableServer();
  try {
    await harness.evaluate((u) => (window as any).make(u), restartable.url);
    await waitForEvents(harness, 'open');
    await restartable.down();
    const [close] = await waitForEvents(harness, 'close');
    expect(close!.data).toMatchObject({ kind: 'abnormal', code: 1006, initiator: 'network', willReconnect: true });
    await harness.waitForTimeout(500);
    await restartable.up();
    const upAt = Date.now();
    const opens = await waitForEvents(harness, 'open', 2, 0, 20_000);
    const reopenAt = await harness.evaluate((at) => performance.timeOrigin + at, opens[1]!.at);
    test.info().annotations.push({ type: 'restart-to-reopen ms (defaults)', description: (reopenAt - upAt).toFixed(0) });
    await harness.evaluate(() => (window as any).sockets[0].send('after restart'));
    const [message] = await waitForEvents(harness, 'message');
    expect(message!.data.data).toBe('after restart');
    await harness.evaluate(() => (window as any).sockets[0].close());
  } finally {
    await restartable.stop();
  }
});

for (const code of [1008, 4001]) {
  test(`${code} from the server does not reconnect`, async ({ harness, server }) => {
    await harness.evaluate((u) => (window as any).make(u, { minReconnectDelay: 50 }), server.url('close-with-code', { code, times: 5 }));
    const [close] = await waitForEvents(harness, 'close');
    expect(close!.data).toMatchObject({ code, initiator: 'server', kind: 'clean', willReconnect: false, nextDelayMs: null });
    const states = (await eventsOf(harness, 'state')).map((e) => e.data.state);
    expect(states.at(-1)).toBe('closed');
    await harness.waitForTimeout(500);
    expect(server.router.accepted('close-with-code')).toBe(1);
    expect(await eventsOf(harness, 'reconnect')).toHaveLength(0);
    expect(await pendingTimers(harness)).toBe(0);
  });
}

test('1013 Try Again Later waits longer than the backoff', async ({ harness, server }) => {
  await harness.evaluate(
    (u) => (window as any).make(u, { minReconnectDelay: 100, jitter: 'none' }),
    server.url('close-with-code', { code: 1013 }),
  );
  const [close] = await waitForEvents(harness, 'close');
  const [reconnect] = await waitForEvents(harness, 'reconnect');
  // The policy's 1013 rule: 5 s plus three times the backoff delay (100 ms here).
  expect(close!.data).toMatchObject({ code: 1013, willReconnect: true, nextDelayMs: 5300 });
  expect(reconnect!.data.delayMs).toBe(5300);
  await harness.waitForTimeout(1000);
  expect(server.router.accepted('close-with-code')).toBe(1);
  expect(await harness.evaluate(() => (window as any).sockets[0].state)).toBe('reconnecting');
  await harness.evaluate(() => (window as any).sockets[0].close());
  expect(await pendingTimers(harness)).toBe(0);
});

test('offline closes at once and spends no retries; online reconnects at once', async ({ harness, server, context }) => {
  await harness.evaluate((u) => (window as any).make(u, { minReconnectDelay: 10_000, jitter: 'none' }), server.url('echo'));
  await waitForEvents(harness, 'open');
  await context.setOffline(true);
  const [close] = await waitForEvents(harness, 'close');
  expect(close!.data).toMatchObject({ cause: 'offline', initiator: 'client', kind: 'abnormal', willReconnect: true, nextDelayMs: null });
  expect(await harness.evaluate(() => (window as any).sockets[0].state)).toBe('offline');
  await harness.waitForTimeout(300);
  expect(server.router.accepted('echo')).toBe(1);
  expect(await eventsOf(harness, 'reconnect')).toHaveLength(0);
  await context.setOffline(false);
  // At once: not after the 10 s backoff.
  const opens = await waitForEvents(harness, 'open', 2, 0, 3000);
  expect(opens[1]!.at - close!.at).toBeLessThan(10_000);
  expect(opens[1]!.data.retries).toBe(0);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('pagehide with persisted closes with 1000; pageshow with persisted reconnects', async ({ harness, server }) => {
  await harness.evaluate((u) => (window as any).make(u), server.url('echo'));
  await waitForEvents(harness, 'open');
  await harness.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
  const [close] = await waitForEvents(harness, 'close');
  expect(close!.data).toMatchObject({ cause: 'pagehide', initiator: 'client', willReconnect: true });
  expect(await harness.evaluate(() => (window as any).sockets[0].state)).toBe('offline');
  // A pagehide that does not enter the cache (persisted: false) changes nothing.
  await harness.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false })));
  expect(await harness.evaluate(() => (window as any).sockets[0].state)).toBe('offline');
  await harness.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await waitForEvents(harness, 'open', 2);
  const [trace] = await eventsOf(harness, 'trace');
  // The page sent 1000 (it may not send 1001); the server echoed it.
  await expect.poll(async () => (await eventsOf(harness, 'trace')).length).toBeGreaterThanOrEqual(2);
  const late = (await eventsOf(harness, 'trace'))[1]!.data;
  expect(trace!.data.cause).toBe('pagehide');
  expect(late.nativeCode).toBe(1000);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('a queue overflow is announced with drop, and send() returns false', async ({ harness, server }) => {
  const result = await harness.evaluate((u) => {
    const id = (window as any).make(u, { maxQueuedMessages: 3, maxQueuedBytes: 1000 });
    const socket = (window as any).sockets[id];
    const accepted = ['a', 'b', 'c', 'd', 'x'.repeat(2000)].map((m) => socket.send(m));
    return { accepted };
  }, server.url('echo'));
  expect(result.accepted).toEqual([true, true, true, false, false]);
  const drops = await eventsOf(harness, 'drop');
  expect(drops.map((d) => [d.data.data.slice(0, 3), d.data.reason])).toEqual([
    ['d', 'queue-full'],
    ['xxx', 'queue-full'],
  ]);
  await waitForEvents(harness, 'message', 3);
  expect(server.router.received('echo')).toEqual(['a', 'b', 'c']);
  await harness.evaluate(() => (window as any).sockets[0].close());
  // Closed for good: sends are refused and announced, not lost.
  expect(await harness.evaluate(() => (window as any).sockets[0].send('late'))).toBe(false);
  const [, , closed] = await eventsOf(harness, 'drop');
  expect(closed!.data).toEqual({ data: 'late', reason: 'closed' });
});

test('maxRetries reaches the terminal state, with a final close', async ({ harness, server }) => {
  await harness.evaluate(
    (u) => (window as any).make(u, { maxRetries: 2, minReconnectDelay: 50, jitter: 'none' }),
    server.url('reject', { status: 500 }),
  );
  const closes = await waitForEvents(harness, 'close', 3);
  expect(closes.map((c) => c.data.willReconnect)).toEqual([true, true, false]);
  await expect.poll(() => harness.evaluate(() => (window as any).sockets[0].state)).toBe('closed');
  await harness.waitForTimeout(300);
  expect(server.router.accepted('reject')).toBe(3);
  expect(await pendingTimers(harness)).toBe(0);
  // reconnect() leaves the terminal state.
  await harness.evaluate(() => (window as any).sockets[0].reconnect());
  await waitForEvents(harness, 'close', 4);
  await harness.evaluate(() => (window as any).sockets[0].close());
});

test('50 rapid close/reconnect/send calls in random order leave one live connection or none, and no timers', async ({ harness, server }) => {
  for (const seed of [1, 2, 3]) {
    const before = server.router.accepted('echo');
    const outcome = await harness.evaluate(
      async ([u, s]) => {
        let x = s * 2654435761;
        const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
        const id = (window as any).make(u, { minReconnectDelay: 20, maxReconnectDelay: 100, closeTimeout: 300 });
        const socket = (window as any).sockets[id];
        // From an open connection, so that the server sees at least one whatever the timing: on a loaded
        // machine, every connection may take longer than the gaps between the calls that close it.
        await new Promise((resolve) => socket.on('open', resolve));
        const calls: string[] = [];
        for (let i = 0; i < 50; i++) {
          const r = rand();
          if (r < 0.3) (calls.push('close'), socket.close().catch(() => {}));
          else if (r < 0.6) (calls.push('reconnect'), socket.reconnect());
          else (calls.push('send'), socket.send(`s${i}`));
          if (rand() < 0.5) await new Promise((resolve) => setTimeout(resolve, rand() * 30));
        }
        return { id, calls };
      },
      [server.url('echo'), seed] as const,
    );
    // Once everything has settled (a reconnect's delay, a close's echo), the socket's state matches the
    // server's view: open with one live connection, or closed with none.
    const view = async () => `${await harness.evaluate((id) => (window as any).sockets[id].state, outcome.id)} with ${server.router.live('echo')} live`;
    await expect.poll(view, { message: `seed ${seed}: ${outcome.calls.join(' ')}`, timeout: 10_000 }).toMatch(/^(open with 1|closed with 0) live$/);
    await harness.evaluate((id) => (window as any).sockets[id].close(), outcome.id);
    await expect.poll(() => server.router.live('echo')).toBe(0);
    expect(await pendingTimers(harness), `seed ${seed}`).toBe(0);
    expect(server.router.accepted('echo')).toBeGreaterThan(before);
  }
});
