import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSocketUrl, redactUrl } from './url.js';

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
    ['ftp://x', '"ftp://x"'],
    ['file:///etc/passwd', '"file:///etc/passwd"'],
    ['not a url', '"not a url"'],
    ['', '""'],
    [123, '123'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{}, '[object Object]'],
  ])('refuses %j with a SyntaxError naming it', (input, shown) => {
    expect(() => parseSocketUrl(input)).toThrow(SyntaxError);
    expect(() => parseSocketUrl(input)).toThrow(shown);
  });

  it('names the scheme it refuses', () => {
    expect(() => parseSocketUrl('ftp://x')).toThrow(/"ftp:"/);
  });

  it.each(['ws://example.com/#x', 'wss://example.com/p#', 'https://example.com/?q#frag'])('refuses the fragment in %s', (input) => {
    expect(() => parseSocketUrl(input)).toThrow(SyntaxError);
    expect(() => parseSocketUrl(input)).toThrow(/fragment/);
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
