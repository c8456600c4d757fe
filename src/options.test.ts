import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, HEARTBEAT_DEFAULTS, MAX_TIMER_MS, type Options, type WebSocketConstructor, clampCloseCode, normalizeCloseArgs, normalizeOptions, normalizeProtocols } from './options.js';
import { defaultReconnectPolicy } from './policy.js';
import { FakeWebSocketCtor } from './test-helpers/fake-websocket.js';

/** What a browser throws for a URL, sub-protocol or close reason it refuses. */
const DOM_SYNTAX_ERROR = expect.objectContaining({ name: 'SyntaxError', constructor: DOMException });

/** Node 20 has no global WebSocket: every call names one unless the test is about that. */
const normalize = (options: Record<string, unknown>) =>
  normalizeOptions({ WebSocket: FakeWebSocketCtor, ...options } as Options, defaultReconnectPolicy);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('normalizeOptions: defaults', () => {
  it('applies every default', () => {
    const { shouldReconnect, WebSocket, heartbeat, ...rest } = normalize({});
    const { heartbeat: defaultHeartbeat, ...defaults } = DEFAULTS;
    expect(rest).toEqual(defaults);
    expect(defaultHeartbeat).toBe(false);
    expect(heartbeat).toBeNull();
    expect(shouldReconnect).toBe(defaultReconnectPolicy);
    expect(WebSocket).toBe(FakeWebSocketCtor);
  });

  it('pins the documented defaults', () => {
    expect(DEFAULTS).toMatchObject({ closeTimeout: 1000, connectTimeout: 10_000, minReconnectDelay: 1000, maxReconnectDelay: 30_000, reconnectDelayFactor: 2, jitter: 'full', maxRetries: Infinity, traceLimit: 50 });
  });

  it('treats an explicit undefined as the default', () => {
    const settings = normalize({ closeTimeout: undefined, jitter: undefined, heartbeat: undefined, protocols: undefined });
    expect(settings.closeTimeout).toBe(DEFAULTS.closeTimeout);
    expect(settings.jitter).toBe(DEFAULTS.jitter);
    expect(settings.heartbeat).toBeNull();
    expect(settings.protocols).toEqual([]);
  });

  it('accepts undefined options when a global WebSocket exists', () => {
    vi.stubGlobal('WebSocket', FakeWebSocketCtor);
    expect(normalizeOptions(undefined, defaultReconnectPolicy).WebSocket).toBe(FakeWebSocketCtor);
  });

  it('does not share the default protocols array', () => {
    const settings = normalize({});
    settings.protocols.push('x');
    expect(DEFAULTS.protocols).toEqual([]);
  });

  it('uses a given shouldReconnect', () => {
    const policy = () => false;
    expect(normalize({ shouldReconnect: policy }).shouldReconnect).toBe(policy);
  });
});

describe('normalizeOptions: WebSocket', () => {
  it('without a global WebSocket, throws a TypeError pointing to the ws package', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => normalizeOptions({}, defaultReconnectPolicy)).toThrow(TypeError);
    expect(() => normalizeOptions({}, defaultReconnectPolicy)).toThrow(/`ws` package/);
  });

  it('refuses a WebSocket option that is not a constructor, without the ws hint', () => {
    expect(() => normalize({ WebSocket: 5 })).toThrow(TypeError);
    expect(() => normalize({ WebSocket: 5 })).toThrow(/`WebSocket`.*got 5$/);
  });
});

describe('normalizeOptions: refusals', () => {
  it.each([null, 'x', 5])('refuses options %j', (options) => {
    expect(() => normalizeOptions(options as unknown as Options, defaultReconnectPolicy)).toThrow(TypeError);
  });

  it('names an unknown option and its value', () => {
    expect(() => normalize({ closeTimeOut: 5 })).toThrow(TypeError);
    expect(() => normalize({ closeTimeOut: 5 })).toThrow('Unknown option `closeTimeOut` (value 5)');
  });

  it('names an unknown heartbeat option with its path', () => {
    expect(() => normalize({ heartbeat: { intervl: 1 } })).toThrow(TypeError);
    expect(() => normalize({ heartbeat: { intervl: 1 } })).toThrow('`heartbeat.intervl` (value 1)');
  });

  describe.each(['closeTimeout', 'connectTimeout', 'minReconnectDelay', 'stallTimeout', 'heartbeat.interval', 'heartbeat.timeout'])('duration %s', (name) => {
    const build = (value: unknown) =>
      name.startsWith('heartbeat.') ? normalize({ heartbeat: { [name.slice(10)]: value } }) : normalize({ [name]: value, ...(name === 'minReconnectDelay' ? { maxReconnectDelay: MAX_TIMER_MS } : {}) });

    it.each([
      [-1, '-1'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [MAX_TIMER_MS + 1, String(MAX_TIMER_MS + 1)],
    ])('refuses %s with a RangeError naming the option and the value', (value, shown) => {
      expect(() => build(value)).toThrow(RangeError);
      expect(() => build(value)).toThrow(`\`${name}\``);
      expect(() => build(value)).toThrow(new RegExp(`got ${shown}$`));
    });

    it('refuses NaN as not a number (TypeError), naming the option', () => {
      expect(() => build(Number.NaN)).toThrow(TypeError);
      expect(() => build(Number.NaN)).toThrow(`The \`${name}\` option must be a number, got NaN`);
    });

    it.each(['100', null, true])('refuses the non-number %j with a TypeError', (value) => {
      expect(() => build(value)).toThrow(TypeError);
      expect(() => build(value)).toThrow(`\`${name}\``);
    });

    it('accepts the longest timer delay', () => {
      expect(() => build(MAX_TIMER_MS)).not.toThrow();
    });
  });

  it.each([
    ['closeTimeout', 0, true],
    ['stallTimeout', 0, true],
    ['minReconnectDelay', 0, true],
    ['connectTimeout', 0, false],
  ])('%s = %i accepted: %s', (name, value, ok) => {
    const run = () => normalize({ [name]: value });
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(RangeError);
  });

  it('refuses maxReconnectDelay below minReconnectDelay, naming both', () => {
    expect(() => normalize({ minReconnectDelay: 500, maxReconnectDelay: 499 })).toThrow(RangeError);
    expect(() => normalize({ minReconnectDelay: 500, maxReconnectDelay: 499 })).toThrow(/`maxReconnectDelay`.*499.*`minReconnectDelay`.*500/);
    expect(normalize({ minReconnectDelay: 500, maxReconnectDelay: 500 }).maxReconnectDelay).toBe(500);
  });

  it.each([0.5, Infinity])('refuses reconnectDelayFactor %s', (factor) => {
    expect(() => normalize({ reconnectDelayFactor: factor })).toThrow(RangeError);
  });

  it('maxRetries: whole numbers or Infinity', () => {
    expect(() => normalize({ maxRetries: 1.5 })).toThrow(RangeError);
    expect(() => normalize({ maxRetries: 1.5 })).toThrow(/`maxRetries`.*1\.5/);
    expect(() => normalize({ maxRetries: -1 })).toThrow(RangeError);
    expect(normalize({ maxRetries: Infinity }).maxRetries).toBe(Infinity);
    expect(normalize({ maxRetries: 0 }).maxRetries).toBe(0);
  });

  it('traceLimit: a whole number of at least 1, never Infinity', () => {
    expect(() => normalize({ traceLimit: Infinity })).toThrow(RangeError);
    expect(() => normalize({ traceLimit: Infinity })).toThrow(/`traceLimit`.*Infinity$/);
    expect(() => normalize({ traceLimit: 0 })).toThrow(RangeError);
    expect(normalize({ traceLimit: 1 }).traceLimit).toBe(1);
  });

  it.each([
    ['jitter', 'x', /`jitter`.*"full", "decorrelated", "none".*"x"/],
    ['binaryType', 'text', /`binaryType`.*"text"/],
    ['handleOffline', 'yes', /`handleOffline`.*"yes"/],
    ['shouldReconnect', true, /`shouldReconnect`.*true/],
    ['redactUrl', 'x', /`redactUrl`.*"x"/],
    ['heartbeat', 'on', /`heartbeat`.*"on"/],
    ['heartbeat', { message: 5 }, /`heartbeat.message`.*5/],
    ['heartbeat', { isPong: 'pong' }, /`heartbeat.isPong`.*"pong"/],
    ['maxQueuedMessages', '10', /`maxQueuedMessages`.*"10"/],
  ])('refuses %s = %j with a TypeError naming it', (name, value, message) => {
    expect(() => normalize({ [name]: value })).toThrow(TypeError);
    expect(() => normalize({ [name]: value })).toThrow(message);
  });
});

describe('normalizeOptions: what cannot work fails at once', () => {
  it.each([
    ['an array', [['closeTimeout', 5]]],
    ['a Map', new Map([['closeTimeout', 5]])],
    ['a Set', new Set()],
  ])('refuses options given as %s with a TypeError', (_, value) => {
    expect(() => normalizeOptions(value as unknown as Options, defaultReconnectPolicy)).toThrow(TypeError);
    expect(() => normalizeOptions(value as unknown as Options, defaultReconnectPolicy)).toThrow(/options must be a plain object/);
  });

  it('refuses a WebSocket option that cannot be called with new, without calling it', () => {
    let called = 0;
    const arrow = () => ({ called: ++called });
    expect(() => normalize({ WebSocket: arrow as unknown as WebSocketConstructor })).toThrow(TypeError);
    expect(() => normalize({ WebSocket: arrow as unknown as WebSocketConstructor })).toThrow(/`WebSocket`.*cannot be called with `new`/);
    expect(called).toBe(0);
    class Custom {}
    expect(normalize({ WebSocket: Custom as unknown as WebSocketConstructor }).WebSocket).toBe(Custom);
    function Legacy() {}
    expect(normalize({ WebSocket: Legacy as unknown as WebSocketConstructor }).WebSocket).toBe(Legacy);
  });
});

describe('close arguments, as WebSocket.close() converts them', () => {
  it.each([
    ['1000', 1000],
    [1000.5, 1000],
    [1000.4, 1000],
    [3000.7, 3001],
    [3001.5, 3002],
    [4999.2, 4999],
    [true, 1],
  ])('clamps %j to %i', (code, expected) => {
    expect(clampCloseCode(code)).toBe(expected);
  });

  it('converts NaN to 0 and clamps to 0–65535', () => {
    expect(clampCloseCode('x')).toBe(0);
    expect(clampCloseCode(-5)).toBe(0);
    expect(clampCloseCode(70_000)).toBe(65_535);
    expect(clampCloseCode(null)).toBe(0);
  });

  it('accepts what the browser accepts, refuses the rest with its error classes', () => {
    expect(normalizeCloseArgs('1000', undefined)).toEqual({ code: 1000, reason: '' });
    expect(normalizeCloseArgs(3000.7, 42)).toEqual({ code: 3001, reason: '42' });
    expect(normalizeCloseArgs(undefined, null)).toEqual({ code: undefined, reason: 'null' });
    expect(() => normalizeCloseArgs(1001, '')).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => normalizeCloseArgs(NaN, '')).toThrow(/0 as an unsigned short/);
    expect(() => normalizeCloseArgs(Symbol('c'), '')).toThrow(TypeError);
    expect(() => normalizeCloseArgs(1000n, '')).toThrow(TypeError);
    expect(() => normalizeCloseArgs(1000, 'é'.repeat(62))).toThrow(DOM_SYNTAX_ERROR);
  });
});

describe('normalizeOptions: protocols and heartbeat', () => {
  it.each([['a b'], ['a,b'], [''], ['ok', 'é']])('refuses the invalid token in %j', (...list) => {
    expect(() => normalize({ protocols: list })).toThrow(DOM_SYNTAX_ERROR);
    expect(() => normalize({ protocols: list })).toThrow(/invalid sub-protocol/);
  });

  it('refuses a duplicate sub-protocol, naming it', () => {
    expect(() => normalize({ protocols: ['chat', 'chat'] })).toThrow(DOM_SYNTAX_ERROR);
    expect(() => normalize({ protocols: ['chat', 'chat'] })).toThrow('"chat" twice');
  });

  // WebIDL `(DOMString or sequence<DOMString>)`, as `new WebSocket(url, protocols)` converts it.
  it('converts protocols as the WebSocket constructor does: items and non-iterables to strings, any iterable', () => {
    expect(normalize({ protocols: [1] as unknown as string[] }).protocols).toEqual(['1']);
    expect(normalize({ protocols: new Set(['a', 'b']) as unknown as string[] }).protocols).toEqual(['a', 'b']);
    expect(normalize({ protocols: 5 as unknown as string }).protocols).toEqual(['5']);
    // A plain object becomes "[object Object]", which is no token: refused as the browser refuses it.
    expect(() => normalize({ protocols: {} as unknown as string })).toThrow(DOM_SYNTAX_ERROR);
    expect(() => normalize({ protocols: [Symbol('x')] as unknown as string[] })).toThrow(TypeError);
  });

  it('turns one protocol into a list and copies a list', () => {
    expect(normalize({ protocols: 'chat' }).protocols).toEqual(['chat']);
    const list = ['v1', 'v2.json'];
    const out = normalizeProtocols(list);
    expect(out).toEqual(list);
    expect(out).not.toBe(list);
  });

  it('heartbeat: true uses HEARTBEAT_DEFAULTS', () => {
    expect(normalize({ heartbeat: true }).heartbeat).toEqual(HEARTBEAT_DEFAULTS);
    expect(HEARTBEAT_DEFAULTS).toMatchObject({ interval: 15_000, timeout: 5_000, message: 'ping' });
    expect(HEARTBEAT_DEFAULTS.isPong('pong')).toBe(true);
    expect(HEARTBEAT_DEFAULTS.isPong('ping')).toBe(false);
  });

  it('heartbeat object merges over the defaults', () => {
    const message = () => 'hb';
    expect(normalize({ heartbeat: { interval: 1000, message } }).heartbeat).toEqual({ ...HEARTBEAT_DEFAULTS, interval: 1000, message });
  });

  it('heartbeat: an explicit undefined field means the default, as at top level', () => {
    expect(normalize({ heartbeat: { interval: undefined } }).heartbeat?.interval).toBe(HEARTBEAT_DEFAULTS.interval);
  });
});
