/**
 * URLs: parsed as the WebSocket constructor parses them, and redacted for
 * traces, because tokens live in query strings and credentials.
 *
 * @module
 */
import { describe, syntaxError } from './errors.js';
import { redactUrl } from './redact.js';

export { redactUrl };

/**
 * Parses a socket URL as the WHATWG WebSocket constructor does: relative URLs
 * resolve against the page, `http:` becomes `ws:` and `https:` becomes `wss:`,
 * and anything else, or a fragment, is refused.
 *
 * Messages never quote the URL as given: tokens live in its query,
 * fragment and credentials, and error messages end up in error trackers.
 * They name the problem, and show the URL redacted where that helps.
 * @throws DOMException `SyntaxError` saying what is wrong.
 */
export function parseSocketUrl(input: unknown): string {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw syntaxError(`The \`url\` must be a string or a URL, got ${describe(input)}`);
  }
  const text = String(input);
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    const why = text === '' ? 'it is empty' : base === undefined ? 'it is not absolute, and there is no page to resolve it against' : 'it cannot be parsed';
    throw syntaxError(`The \`url\` is not a valid URL: ${why} (the value is not shown, as it may hold a secret)`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw syntaxError(`The \`url\` ${describe(redactUrl(url.href))} (redacted) has the scheme "${url.protocol}"; only ws: and wss: (or http: and https:) are allowed`);
  }
  if (url.hash !== '' || text.endsWith('#')) {
    throw syntaxError(`The \`url\` ${describe(redactUrl(url.href))} (redacted) has a fragment, which a WebSocket URL must not have`);
  }
  return url.href;
}
