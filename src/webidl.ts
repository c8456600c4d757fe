/**
 * The two WebIDL conversions the SDK repeats from the browser: ToString
 * (`send()` data, sub-protocols, a close reason) and the UTF-8 length a
 * string takes on the wire (a close reason's 123-byte limit, the queue's
 * byte bound).
 *
 * @module
 */

const encoder = /* @__PURE__ */ new TextEncoder();

/** WebIDL's ToString: a template literal throws a TypeError for a Symbol, as the browser does. */
export function toDomString(value: unknown): string {
  return `${value as string}`;
}

/** Bytes `text` takes in UTF-8 (a lone surrogate as U+FFFD, as USVString conversion makes it). */
export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
