import crypto from 'node:crypto';
import type { VendorEvent } from './types.js';

/** Names of the headers a push carries (lowercase, as Node and fetch present them). */
export const PUSH_HEADERS = Object.freeze({
  signature: 'x-switchboard-signature',
  timestamp: 'x-switchboard-timestamp',
  eventId: 'x-switchboard-event-id',
  eventType: 'x-switchboard-event-type',
  attempt: 'x-switchboard-delivery-attempt',
});

/** Why a push was refused. */
export class PushSignatureError extends Error {
  /** @param reason machine-readable reason @param message what went wrong */
  constructor(
    readonly reason: 'missing_header' | 'bad_signature' | 'stale_timestamp' | 'invalid_body',
    message: string,
  ) {
    super(message);
    this.name = 'PushSignatureError';
  }
}

/** Input of {@link verifyPushSignature}. */
export interface VerifyPushInput {
  /** The event destination's secret (answered once by `PUT /api/v1/event-destination`). */
  secret: string;
  /** The request headers (a Node `IncomingHttpHeaders`, a fetch `Headers`, or a plain object). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received (bytes or text); never a re-serialized object. */
  rawBody: string | Uint8Array;
  /** Oldest accepted signing time, in ms before now; default 5 minutes. */
  toleranceMs?: number;
  /** The current time in ms (tests); default `Date.now()`. */
  now?: number;
}

function header(headers: VerifyPushInput['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/** The signature header value for a body: `v1=` + hex HMAC-SHA256(secret, timestamp + "." + body). */
export function signPush(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex')}`;
}

/**
 * Verifies a pushed event and returns it parsed: the HMAC over the raw body (constant-time
 * comparison) and the signing time (no older than `toleranceMs`, no later than a minute ahead).
 * @throws PushSignatureError when a header is missing, the signature or the timestamp is wrong, or the body is not an event
 */
export function verifyPushSignature(input: VerifyPushInput): VendorEvent {
  const signature = header(input.headers, PUSH_HEADERS.signature);
  const timestamp = header(input.headers, PUSH_HEADERS.timestamp);
  if (!signature || !timestamp) throw new PushSignatureError('missing_header', `Missing ${signature ? PUSH_HEADERS.timestamp : PUSH_HEADERS.signature} header`);
  const expected = Buffer.from(signPush(input.secret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new PushSignatureError('bad_signature', 'Signature does not match: wrong secret, or the body was changed');
  const now = input.now ?? Date.now();
  const signedAt = Number(timestamp);
  const tolerance = input.toleranceMs ?? 5 * 60_000;
  if (!/^\d+$/.test(timestamp) || now - signedAt > tolerance || signedAt - now > 60_000) throw new PushSignatureError('stale_timestamp', `Timestamp ${timestamp} is outside the accepted window`);
  const text = typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8');
  try {
    const event = JSON.parse(text) as VendorEvent;
    if (typeof event?.type !== 'string' || typeof event.id !== 'string') throw new Error('not an event');
    return event;
  } catch {
    throw new PushSignatureError('invalid_body', 'Body is not a Switchboard event');
  }
}
