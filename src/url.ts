/**
 * URLs: parsed as the WebSocket constructor parses them, and redacted for
 * traces, because tokens live in query strings and credentials.
 *
 * @module
 */
import { describe } from './errors.js';

/**
 * Parses a socket URL as the WHATWG WebSocket constructor does: relative URLs
 * resolve against the page, `http:` becomes `ws:` and `https:` becomes `wss:`,
 * and anything else, or a fragment, is refused.
 * @throws SyntaxError naming the value and what is wrong with it.
 */
export function parseSocketUrl(input: unknown): string {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new SyntaxError(`The \`url\` must be a string or a URL, got ${describe(input)}`);
  }
  const text = String(input);
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new SyntaxError(`The \`url\` ${describe(text)} is not a valid URL`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new SyntaxError(`The \`url\` ${describe(text)} has the scheme "${url.protocol}"; only ws: and wss: (or http: and https:) are allowed`);
  }
  if (url.hash !== '' || text.endsWith('#')) {
    throw new SyntaxError(`The \`url\` ${describe(text)} has a fragment, which a WebSocket URL must not have`);
  }
  return url.href;
}

/** Removes credentials, query string and fragment from a URL, for traces. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return '[invalid url]';
  }
}
