/**
 * The package as npm ships it: what `npm pack` puts in, what package.json
 * points at, that the published types resolve, and that importing the
 * package does nothing: no socket, no timer, no listener, in Chromium (the
 * IIFE builds) and in Node (the ESM build, by its package name).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, ROOT, test, watchPage } from './fixtures';

/** Tests that run in Node, not in a page: the chromium project runs them, once. */
const nodeOnly = () => test.skip(({ browserName }) => browserName !== 'chromium', 'runs in Node, not in the browser: the chromium project runs it');

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** A path in package.json (`./dist/x.js`) as a file on disk. */
const onDisk = (target: string) => join(ROOT, target);

test.describe('npm pack', () => {
  nodeOnly();
  const packed = () => {
    // --ignore-scripts: a future prepack build must not rebuild dist under the other tests.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path).sort();
  };

  test('ships only dist/, package.json, README.md and LICENSE', () => {
    const files = packed();
    expect(files.filter((path) => !/^(package\.json|README\.md|LICENSE(\.md)?|dist\/.+)$/.test(path))).toEqual([]);
    expect(files.filter((path) => /(^|\/)(e2e|src|test|tests|__tests__|test-helpers|demo|bench)\/|\.(test|spec)\.|\.tsbuildinfo$/.test(path))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/resilient-socket.js',
        'dist/resilient-socket.iife.js',
        'dist/resilient-socket.iife.min.js',
        'dist/resilient-socket.iife.min.js.map',
        'dist/types/index.d.ts',
      ]),
    );
    if (existsSync(join(ROOT, 'LICENSE'))) expect(files).toContain('LICENSE');
  });

  test('every file package.json points at is shipped', () => {
    const files = packed();
    const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, ...Object.values<unknown>(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t as object)))];
    for (const target of targets) expect(files, target).toContain(String(target).replace(/^\.\//, ''));
  });

  test('the source map names no test file', () => {
    const map = JSON.parse(readFileSync(join(ROOT, 'dist/resilient-socket.iife.min.js.map'), 'utf8'));
    expect(map.sources.filter((s: string) => /\.(test|spec)\.|test-helpers|e2e\//.test(s))).toEqual([]);
    expect(map.sources.filter((s: string) => s.startsWith('/'))).toEqual([]);
  });
});

test.describe('package.json', () => {
  nodeOnly();
  test('exports the ESM build with its types first, and is free of side effects', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    const root = pkg.exports['.'];
    // TypeScript reads conditions in order: `types` must come first.
    expect(Object.keys(root)[0]).toBe('types');
    expect(root).toMatchObject({ types: './dist/types/index.d.ts', import: './dist/resilient-socket.js' });
    for (const target of Object.values<string>(root)) expect(existsSync(onDisk(target)), target).toBe(true);
    expect(pkg.exports['./package.json']).toBe('./package.json');
    for (const field of ['main', 'module', 'types']) expect(existsSync(onDisk(pkg[field])), field).toBe(true);
  });

  test('unpkg and jsdelivr point at the minified IIFE, which exists', () => {
    expect(pkg.unpkg).toBe('./dist/resilient-socket.iife.min.js');
    expect(pkg.jsdelivr).toBe(pkg.unpkg);
    expect(pkg.exports['./iife']).toBe(pkg.unpkg);
    expect(existsSync(onDisk(pkg.unpkg))).toBe(true);
  });
});

test.describe('published types', () => {
  nodeOnly();
  // A TypeScript program with the DOM lib takes seconds to build.
  test.describe.configure({ timeout: 60_000 });
  const consumer = join(ROOT, 'e2e/types/consumer.ts');
  const settings: Record<string, ts.CompilerOptions> = {
    bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
    nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  };
  for (const [name, resolution] of Object.entries(settings)) {
    test(`resolve through exports and type the API with moduleResolution ${name}`, () => {
      const program = ts.createProgram([consumer], {
        ...resolution,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        strict: true,
        noEmit: true,
        // Check the published .d.ts files, not TypeScript's own lib files.
        skipLibCheck: false,
        skipDefaultLibCheck: true,
        types: [],
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
        const where = d.file ? `${d.file.fileName.replace(ROOT, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ` : '';
        return `${where}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
      expect(diagnostics).toEqual([]);
    });
  }

  // A Node app that passes `ws` has no DOM lib: the types must not need it (BinaryType, CloseEvent).
  test('compile in a Node project without the DOM lib (lib es2022, @types/node, skipLibCheck false)', () => {
    const program = ts.createProgram([join(ROOT, 'e2e/types/consumer-node.ts')], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      skipDefaultLibCheck: true,
      types: ['node'],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.replace(ROOT, '') ?? ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(diagnostics).toEqual([]);
  });
});

test.describe('importing has no side effects', () => {
  for (const bundle of ['resilient-socket.iife.js', 'resilient-socket.iife.min.js']) {
    test(`in the browser: loading dist/${bundle} opens no socket, sets no timer, adds no listener`, async ({ page, server }) => {
      const consoleErrors: string[] = [];
      watchPage(page, consoleErrors);
      // Before any page script: record every call that would be a side effect, made
      // from the bundle's code (not the test driver's own injected scripts, which Firefox attributes to the page).
      await page.addInitScript(() => {
        const calls: string[] = [];
        (window as any).__calls = calls;
        const count = (owner: any, key: string, name: string) => {
          const original = owner[key];
          if (typeof original !== 'function') return;
          const counted = function (this: unknown, ...args: unknown[]) {
            if (/\/dist\//.test(new Error().stack ?? '')) calls.push(key === 'addEventListener' ? `${name}(${String(args[0])})` : name);
            return new.target ? Reflect.construct(original, args, new.target) : original.apply(this, args);
          };
          counted.prototype = original.prototype;
          owner[key] = counted;
        };
        for (const key of ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback', 'queueMicrotask', 'fetch']) count(window, key, key);
        count(window, 'WebSocket', 'new WebSocket');
        count(EventTarget.prototype, 'addEventListener', 'addEventListener');
        count(XMLHttpRequest.prototype, 'open', 'XMLHttpRequest');
        count(navigator, 'sendBeacon', 'sendBeacon');
        for (const level of ['log', 'info', 'warn', 'error', 'debug']) count(console, level, `console.${level}`);
      });
      // A served page, not a routed one: Chromium blocks a routed page's sockets to 127.0.0.1 (local network access).
      await page.goto(`${server.origin}/e2e/pages/side-effects.html?bundle=${bundle}`);
      await expect(page.locator('html')).toHaveAttribute('data-loaded', 'yes');
      const after = await page.evaluate(() => ({ calls: [...(window as any).__calls], loaded: typeof (window as any).ResilientSocket }));
      expect(after.loaded).toBe('function');
      expect(after.calls).toEqual([]);

      // The counters work: a socket, made on purpose, shows up in them.
      const made: string[] = await page.evaluate(async (url) => {
        const socket = new (window as any).ResilientSocket(url);
        await new Promise((resolve, reject) => {
          socket.on('open', resolve);
          socket.on('error', reject);
        });
        const calls = [...(window as any).__calls];
        await socket.close();
        return calls;
      }, server.url('echo'));
      expect(made.filter((name) => name === 'new WebSocket')).toHaveLength(1);
      expect(made).toEqual(expect.arrayContaining(['setTimeout', 'addEventListener(open)', 'addEventListener(offline)']));
      expect(consoleErrors).toEqual([]);
    });
  }

  test('in Node: importing the package opens no socket, sets no timer, adds no listener', ({ browserName }) => {
    test.skip(browserName !== 'chromium', 'runs in Node, not in the browser: the chromium project runs it');
    // A fresh Node process, so that the whole module graph is evaluated under the counters.
    const script = `
      const calls = [];
      const sleep = globalThis.setTimeout.bind(globalThis);
      const count = (owner, key, name) => {
        const original = owner[key];
        owner[key] = function (...args) {
          calls.push(key === 'addEventListener' ? name + '(' + args[0] + ')' : name);
          return new.target ? Reflect.construct(original, args, new.target) : original.apply(this, args);
        };
      };
      // A browser-like global WebSocket and window, so that an import-time use would show.
      globalThis.WebSocket = class WebSocket extends EventTarget {
        constructor() { super(); calls.push('new WebSocket'); }
        send() {}
        close() {}
      };
      globalThis.window = new EventTarget();
      for (const key of ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch']) count(globalThis, key, key);
      count(process, 'nextTick', 'process.nextTick');
      count(process, 'on', 'process.on');
      count(EventTarget.prototype, 'addEventListener', 'addEventListener');
      for (const level of ['log', 'info', 'warn', 'error', 'debug']) count(console, level, 'console.' + level);
      const before = process.getActiveResourcesInfo();
      const sdk = await import('resilient-socket');
      const tick = () => new Promise((resolve) => setImmediate(resolve));
      await tick();
      const onImport = calls.filter((name) => name !== 'setImmediate');
      const after = process.getActiveResourcesInfo();
      // The counters work: a socket made on purpose shows up in them.
      calls.length = 0;
      const socket = new sdk.ResilientSocket('ws://127.0.0.1:9', { closeTimeout: 0 });
      // The first attempt starts after the URL resolves, a few ticks later.
      for (let i = 0; i < 200 && !calls.includes('new WebSocket'); i++) await new Promise((resolve) => sleep(resolve, 5));
      const made = [...calls];
      await socket.close();
      process.stdout.write(JSON.stringify({ onImport, before, after, made }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const result = JSON.parse(out);
    expect(result.onImport).toEqual([]);
    expect(result.made).toEqual(expect.arrayContaining(['new WebSocket', 'setTimeout', 'addEventListener(open)', 'addEventListener(offline)']));
    expect(result.after).toEqual(result.before);
  });
});
