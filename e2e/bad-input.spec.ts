/**
 * Bad input fails at once, synchronously, with the error a browser would
 * throw and a message that names the option and the value.
 */
import { expect, test, waitForEvents } from './fixtures';

type Thrown = { name: string; message: string; isDOMException: boolean } | null;

const cases: Array<{ title: string; run: string; name: string; mentions: string[]; hides?: string[] }> = [
  // A URL may hold a token: messages name the problem and show at most the redacted URL.
  { title: 'a malformed URL', run: `new ResilientSocket('ws://[::1/x?token=SECRET')`, name: 'SyntaxError', mentions: ['url', 'not a valid URL'], hides: ['SECRET'] },
  { title: 'a non-ws URL', run: `new ResilientSocket('ftp://u:SECRET@127.0.0.1/x?k=SECRET')`, name: 'SyntaxError', mentions: ['url', 'ftp:', '"ftp://127.0.0.1/x"'], hides: ['SECRET'] },
  { title: 'a URL with a fragment', run: `new ResilientSocket('ws://127.0.0.1/x?token=SECRET#frag')`, name: 'SyntaxError', mentions: ['url', 'fragment', '"ws://127.0.0.1/x"'], hides: ['SECRET', 'frag"'] },
  { title: 'a negative timeout', run: `new ResilientSocket(URL_OK, { closeTimeout: -1 })`, name: 'RangeError', mentions: ['closeTimeout', '-1'] },
  { title: 'a non-finite timeout', run: `new ResilientSocket(URL_OK, { connectTimeout: Infinity })`, name: 'RangeError', mentions: ['connectTimeout', 'Infinity'] },
  { title: 'an unknown option', run: `new ResilientSocket(URL_OK, { closeTimout: 5 })`, name: 'TypeError', mentions: ['closeTimout', '5'] },
  { title: 'a bad sub-protocol', run: `new ResilientSocket(URL_OK, { protocols: ['a b'] })`, name: 'SyntaxError', mentions: ['protocols', 'a b'] },
];

for (const c of cases) {
  test(`the constructor refuses ${c.title} with ${c.name}`, async ({ harness, server }) => {
    const thrown: Thrown = await harness.evaluate(
      ([code, ok]) => {
        const URL_OK = ok;
        void URL_OK;
        try {
          eval(code!);
          return null;
        } catch (e: any) {
          return { name: e.name, message: e.message, isDOMException: e instanceof DOMException };
        }
      },
      [c.run, server.url('echo')] as const,
    );
    expect(thrown?.name).toBe(c.name);
    // As the native WebSocket: a URL, sub-protocol or reason it refuses is a DOMException.
    expect(thrown?.isDOMException).toBe(c.name === 'SyntaxError');
    for (const m of c.mentions) expect(thrown?.message).toContain(m);
    for (const h of c.hides ?? []) expect(thrown?.message).not.toContain(h);
    // Nothing was started: no connection reached the server.
    expect(server.router.accepted()).toBe(0);
  });
}

test('close() refuses codes a page may not send, and long reasons, without losing queued messages', async ({ harness, server }) => {
  const url = server.url('slow-close', { delay: 0 });
  const result = await harness.evaluate((u) => {
    const id = (window as any).make(u);
    const socket = (window as any).sockets[id];
    socket.send('queued-1');
    const errors: any[] = [];
    for (const call of [() => socket.close(1001), () => socket.close(1006), () => socket.close(2999), () => socket.close(1000, 'é'.repeat(62))]) {
      try {
        call();
        errors.push(null);
      } catch (e: any) {
        errors.push({ name: e.name, message: e.message, isDOMException: e instanceof DOMException });
      }
    }
    socket.send('queued-2');
    return { errors, state: socket.state };
  }, url);
  expect(result.errors.slice(0, 3).map((e: any) => [e.name, e.isDOMException])).toEqual([
    ['InvalidAccessError', true],
    ['InvalidAccessError', true],
    ['InvalidAccessError', true],
  ]);
  expect(result.errors[0].message).toContain('1001');
  expect(result.errors[1].message).toContain('1006');
  expect(result.errors[3]).toMatchObject({ name: 'SyntaxError', isDOMException: true });
  expect(result.errors[3].message).toContain('124 bytes');
  expect(result.state).toBe('connecting');
  // The rejected calls changed nothing: both messages are sent, in order, on open.
  await waitForEvents(harness, 'message', 2);
  expect(server.router.received('slow-close')).toEqual(['queued-1', 'queued-2']);
  const info = await harness.evaluate(() => (window as any).sockets[0].close(1000, 'é'.repeat(61)));
  expect(info.kind).toBe('clean');
});
