import { afterEach, describe, expect, it, vi } from 'vitest';
import { scrubError, scrubUrls } from './redact.js';
import { parseSocketUrl, redactUrl } from './url.js';

/** What a browser throws for a URL, sub-protocol or close reason it refuses. */
const DOM_SYNTAX_ERROR = expect.objectContaining({ name: 'SyntaxError', constructor: DOMException });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('parseSocketUrl', () => {
  it.each([
    ['ws://example.com', 'ws://example.com/'],
    ['wss://example.com/live?x=1', 'wss://example.com/live?x=1'],
    ['WSS://Example.COM:443/a', 'wss://example.com/a'],
    ['ws://example.com:8080/p', 'ws://example.com:8080/p'],
    ['http://example.com/p', 'ws://example.com/p'],
    ['https://example.com', 'wss://example.com/'],
    ['https://example.com:8443/p?q=1', 'wss://example.com:8443/p?q=1'],
  ])('accepts %s as %s', (input, expected) => {
    expect(parseSocketUrl(input)).toBe(expected);
  });

  it('accepts a URL object', () => {
    expect(parseSocketUrl(new URL('https://example.com/x'))).toBe('wss://example.com/x');
  });

  it('resolves a relative URL against the page', () => {
    vi.stubGlobal('location', { href: 'https://app.example.com/room/1' });
    expect(parseSocketUrl('/live')).toBe('wss://app.example.com/live');
  });

  it.each([
    ['ftp://x', '"ftp://x/"'],
    ['file:///etc/passwd', '"file:///etc/passwd"'],
    ['not a url', 'not absolute'],
    ['', 'empty'],
    [123, '123'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{}, '[object Object]'],
  ])('refuses %j with a SyntaxError naming it', (input, shown) => {
    expect(() => parseSocketUrl(input)).toThrow(DOM_SYNTAX_ERROR);
    expect(() => parseSocketUrl(input)).toThrow(shown);
  });

  it('names the scheme it refuses', () => {
    expect(() => parseSocketUrl('ftp://x')).toThrow(/"ftp:"/);
  });

  it.each(['ws://example.com/#x', 'wss://example.com/p#', 'https://example.com/?q#frag'])('refuses the fragment in %s', (input) => {
    expect(() => parseSocketUrl(input)).toThrow(DOM_SYNTAX_ERROR);
    expect(() => parseSocketUrl(input)).toThrow(/fragment/);
  });

  // Error messages reach error trackers: a token in the query, fragment or credentials must not.
  it.each([
    'wss://h.example/live?token=SECRET#x',
    'ftp://user:SECRET@h.example/?token=SECRET',
    'wss://h.example/live?token=SECRET#',
    'ws ://h.example/?token=SECRET',
    'live?token=SECRET',
  ])('never quotes the secret parts of %s', (input) => {
    let message = '';
    try {
      parseSocketUrl(input);
    } catch (error) {
      message = String((error as Error).message);
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('SECRET');
  });

  it('shows the redacted URL where it helps', () => {
    expect(() => parseSocketUrl('wss://h.example/live?token=SECRET#x')).toThrow('"wss://h.example/live" (redacted) has a fragment');
    expect(() => parseSocketUrl('ftp://h.example/p?token=SECRET')).toThrow('"ftp://h.example/p" (redacted) has the scheme "ftp:"');
  });
});

describe('scrubUrls and scrubError', () => {
  it('redacts every URL inside a text', () => {
    expect(scrubUrls("Failed to construct 'WebSocket': The URL 'wss://u:p@h.example/x?token=SECRET#f' is invalid.")).toBe(
      "Failed to construct 'WebSocket': The URL 'wss://h.example/x' is invalid.",
    );
    expect(scrubUrls('no url here')).toBe('no url here');
  });

  it('copies an error with its name, message and stack redacted, and nothing else', () => {
    const error = Object.assign(new TypeError('Invalid URL: https://h.example/?key=SECRET'), { input: 'https://h.example/?key=SECRET' });
    const safe = scrubError(error);
    expect(safe).not.toBe(error);
    expect(safe.name).toBe('TypeError');
    expect(safe.message).toBe('Invalid URL: https://h.example/');
    expect(JSON.stringify({ ...safe, stack: safe.stack })).not.toContain('SECRET');
  });

  it('keeps a DOMException a DOMException, and turns other values into errors', () => {
    const safe = scrubError(new DOMException("The URL 'wss://h.example/#SECRET' is invalid.", 'SyntaxError'));
    expect(safe).toBeInstanceOf(DOMException);
    expect(safe.name).toBe('SyntaxError');
    expect(safe.message).not.toContain('SECRET');
    expect(scrubError('token at wss://h.example/?t=SECRET').message).toBe('token at wss://h.example/');
  });
});

describe('redactUrl', () => {
  it('removes credentials, query and fragment, keeping host, port and path', () => {
    expect(redactUrl('wss://user:pass@example.com:8443/path/x?token=abc&y=2#frag')).toBe('wss://example.com:8443/path/x');
  });

  it('keeps a URL with nothing secret unchanged', () => {
    expect(redactUrl('ws://example.com:8080/a/b')).toBe('ws://example.com:8080/a/b');
  });

  it('removes a username alone', () => {
    expect(redactUrl('wss://token@example.com/')).toBe('wss://example.com/');
  });

  it('never echoes an unparseable input', () => {
    expect(redactUrl('not a url?token=secret')).toBe('[invalid url]');
  });
});
