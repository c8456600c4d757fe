// @ts-check
/**
 * The WebKitGTK browser for the WebKit run: an Xvfb display, WebKitWebDriver
 * (W3C WebDriver classic) on a port of 127.0.0.1, and MiniBrowser started by
 * it in automation mode. Playwright cannot drive WebKitGTK's MiniBrowser,
 * and the run needs five WebDriver commands (new session, timeouts,
 * navigate, execute async script, delete session), so this is a client of
 * those five over fetch rather than a WebDriver library.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** MiniBrowser from Debian's libwebkit2gtk-4.1-0, or `MINIBROWSER_PATH`. */
export const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** @returns {Promise<number>} a port of 127.0.0.1 that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts a child process and resolves once `ready` says so; rejects if it exits first.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function start(command, args, env) {
  // A process group of its own: stopping it also stops what it started (MiniBrowser and its web and network processes).
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true });
  /** @type {string[]} */
  const stderr = [];
  child.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
  const exited = new Promise((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${command} exited (${code ?? signal}): ${stderr.join('').slice(-500)}`)));
  });
  exited.catch(() => {});
  return { child, exited };
}

/**
 * Stops a child started by {@link start} and everything in its process group.
 * @param {import('node:child_process').ChildProcess} child
 */
function stop(child) {
  /** @param {NodeJS.Signals} signal */
  const signalGroup = (signal) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const running = child.exitCode === null && child.signalCode === null;
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      signalGroup('SIGKILL');
      resolve(undefined);
    }, 3000);
    const done = () => {
      clearTimeout(kill);
      // Whatever the leader left behind in its group.
      signalGroup('SIGKILL');
      resolve(undefined);
    };
    if (!running) return done();
    child.once('exit', done);
    signalGroup('SIGTERM');
  });
}

/**
 * Starts Xvfb on a display it picks itself (-displayfd) and resolves with the display.
 * @returns {Promise<{ display: string, child: import('node:child_process').ChildProcess }>}
 */
async function startXvfb() {
  const { child, exited } = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], process.env);
  const display = await Promise.race([
    new Promise((resolve) => {
      let text = '';
      /** @type {import('node:stream').Readable} */ (child.stdio[3]).on('data', (chunk) => {
        text += String(chunk);
        if (text.includes('\n')) resolve(`:${text.trim()}`);
      });
    }),
    exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error('Xvfb gave no display within 10 s')), 10_000).unref()),
  ]);
  return { display: /** @type {string} */ (display), child };
}

/**
 * A WebDriver session on MiniBrowser. `close()` ends the session and stops
 * the driver and the display, whatever state they are in.
 */
export class WebKitBrowser {
  /**
   * @param {string} base the driver's URL
   * @param {string} sessionId
   * @param {Array<import('node:child_process').ChildProcess>} children
   */
  constructor(base, sessionId, children) {
    this.base = base;
    this.sessionId = sessionId;
    this.children = children;
    /** The engine's version, as the session reported it. */
    this.version = '';
  }

  /**
   * Starts Xvfb, WebKitWebDriver and a MiniBrowser session.
   * @param {{ scriptTimeoutMs?: number }} [options]
   */
  static async launch({ scriptTimeoutMs = 90_000 } = {}) {
    if (!existsSync(MINIBROWSER)) throw new Error(`No MiniBrowser at ${MINIBROWSER}: run npm run setup:browser, or set MINIBROWSER_PATH`);
    /** @type {Array<import('node:child_process').ChildProcess>} */
    const children = [];
    try {
      const xvfb = await startXvfb();
      children.push(xvfb.child);
      const port = await freePort();
      const driver = start('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { ...process.env, DISPLAY: xvfb.display });
      children.push(driver.child);
      const base = `http://127.0.0.1:${port}`;
      await Promise.race([waitForStatus(base), driver.exited]);
      const created = await command(base, 'POST', '/session', {
        capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
      });
      const browser = new WebKitBrowser(base, created.sessionId, children);
      browser.version = String(created.capabilities?.browserVersion ?? '');
      await browser.send('POST', '/timeouts', { script: scriptTimeoutMs, pageLoad: 30_000 });
      return browser;
    } catch (error) {
      await Promise.all(children.reverse().map(stop));
      throw error;
    }
  }

  /**
   * @param {string} method
   * @param {string} path under the session
   * @param {unknown} [body]
   */
  send(method, path, body) {
    return command(this.base, method, `/session/${this.sessionId}${path}`, body);
  }

  /** @param {string} url */
  navigate(url) {
    return this.send('POST', '/url', { url });
  }

  /**
   * Runs `fn(arg)` in the page and resolves with its (awaited) result, which
   * must be JSON; a throw in the page rejects here with its message.
   * @template T
   * @param {(arg: any) => T | Promise<T>} fn
   * @param {unknown} [arg]
   * @returns {Promise<Awaited<T>>}
   */
  async evaluate(fn, arg) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn.toString()})(arguments[0]))
        .then((value) => done({ value }), (error) => done({ error: String((error && error.stack) || error) }));`;
    const result = await this.send('POST', '/execute/async', { script, args: [arg ?? null] });
    if (result && typeof result === 'object' && 'error' in result) throw new Error(`in the page: ${result.error}`);
    return result?.value;
  }

  async close() {
    await this.send('DELETE', '').catch(() => {});
    await Promise.all([...this.children].reverse().map(stop));
  }
}

/**
 * @param {string} base
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function command(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const json = /** @type {{ value: any }} */ (await response.json());
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error ?? response.status}: ${json.value?.message ?? ''}`);
  return json.value;
}

/** @param {string} base */
async function waitForStatus(base) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const status = await command(base, 'GET', '/status');
      if (status?.ready !== false) return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer within 15 s: ${error}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
