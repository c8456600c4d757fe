/**
 * Redaction: URLs without the parts where secrets live (credentials, query,
 * fragment), for traces, and for error messages that would otherwise quote
 * a whole URL.
 *
 * @module
 */

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

// Any absolute URL with an authority, as it may appear inside an error message.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi;

/** Replaces every URL in `text` by its redacted form. */
export function scrubUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (found) => redactUrl(found));
}

/**
 * A copy of `error` that is safe to emit: the same `name` (a `DOMException`
 * stays one), with every URL in its message and stack redacted, and nothing
 * else: other properties may hold the URL too (Node's invalid-URL error has
 * `input`). A value that is not an `Error` becomes an `Error` of its text.
 * For failures around a URL: a browser's own messages quote the whole URL
 * (Chromium: "The URL 'wss://…?token=…' is invalid"), and so may an app's
 * URL function.
 */
export function scrubError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(scrubUrls(String(error)));
  const message = scrubUrls(error.message);
  const copy =
    typeof DOMException === 'function' && error instanceof DOMException
      ? new DOMException(message, error.name)
      : Object.assign(new Error(message), { name: error.name });
  const stack = typeof error.stack === 'string' ? scrubUrls(error.stack) : undefined;
  Object.defineProperty(copy, 'stack', { value: stack, configurable: true, writable: true });
  return copy;
}
