// Text that can be stored and passed on. PostgreSQL refuses a NUL character in `text` and `jsonb`
// ("invalid byte sequence for encoding UTF8: 0x00"), refuses an escaped unpaired surrogate in `jsonb`,
// and node-postgres turns an unpaired surrogate into U+FFFD in `text` (so what we stored would not be
// what we were sent). Both can only arrive as JSON escapes (`\u0000`, `\ud800`) or percent-escapes,
// after the bytes were checked as UTF-8, so every string field that reaches storage goes through here.
import { z } from 'zod';

/** The message of a refused string, in `error.details` and on dead inbox rows. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/** Whether a string is storable text: no NUL character, no unpaired UTF-16 surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units,
// no `u` flag: with it, the engine would read a pair as one code point and a lone half as itself).
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A zod string refusing NUL and unpaired surrogates; chain `.trim().min().max()` as on `z.string()`.
 * Every string field of a request that can reach storage or HubSpot uses it.
 */
export function text() {
  return z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
}

/** How deep a JSON value we store may nest; HubSpot's events are flat (one level of fields). */
export const MAX_STORED_DEPTH = 32;

/**
 * The first place in a parsed JSON value (keys included) that cannot be stored: a string with NUL or
 * an unpaired surrogate, or nesting deeper than {@link MAX_STORED_DEPTH}.
 * @returns a path and reason such as `propertyValue: must not contain …`, or undefined when it is storable
 */
export function findUnstorable(value: unknown, path: string[] = []): string | undefined {
  const at = (p: string[]) => (p.length > 0 ? p.join('.') : '(value)');
  if (typeof value === 'string') return isStorableText(value) ? undefined : `${at(path)}: ${UNSTORABLE_TEXT_MESSAGE}`;
  if (typeof value !== 'object' || value === null) return undefined;
  if (path.length >= MAX_STORED_DEPTH) return `${at(path)}: nested deeper than ${MAX_STORED_DEPTH} levels`;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (!isStorableText(key)) return `${at(path)}: a key ${UNSTORABLE_TEXT_MESSAGE}`;
    const found = findUnstorable(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
