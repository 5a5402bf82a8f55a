// HubSpot request signatures
// (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation),
// checked over the exact bytes received. Pure functions: every input (secret, URI, raw body, headers,
// clock) is passed in and the answer is a discriminated result, so the HTTP guard, the tests and later
// callers (workflow actions, card fetches) share them.
//
// - v3 (webhooks and every request to OAuth apps): base64 HMAC-SHA256 keyed with the client secret over
//   METHOD + URI + raw body + X-HubSpot-Request-Timestamp. The URI is accepted in either of two forms:
//   as received, which is what `@hubspot/api-client`'s `Signature.getSignature` and the
//   `hs project dev` proxy sign, or decoded with the docs' table (see {@link normaliseV3Uri}).
// - v2 (custom workflow actions, legacy card fetches): hex SHA-256 of secret + METHOD + URI + raw body.
// - v1 (legacy webhooks): hex SHA-256 of secret + raw body. Plain hashes, not HMACs, as HubSpot defines them.
// The key is the app's client secret for every version. Comparisons are constant-time.
import crypto from 'node:crypto';

/** A HubSpot signature version. */
export type SignatureVersion = 'v1' | 'v2' | 'v3';

/** Why a signature was refused. Logged (never sent to the caller). */
export type SignatureFailure =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'version_not_allowed'
  | 'mismatch';

/** Outcome of a signature check. */
export type SignatureCheck = { ok: true; version: SignatureVersion } | { ok: false; reason: SignatureFailure; version?: SignatureVersion };

/** HubSpot's documented replay window: 5 minutes. */
export const SIGNATURE_WINDOW_MS = 300_000;

// The request-validation page decodes only these escapes before v3 hashing; %20, %26, %3D, %2B, … stay encoded.
const V3_DECODE: Readonly<Record<string, string>> = Object.freeze({
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
});

/**
 * Applies HubSpot's v3 URI decode table (hex matched case-insensitively).
 * @param uri the full URL as requested
 * @returns the URL as HubSpot hashes it for v3
 */
export function normaliseV3Uri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODE[m.toUpperCase()] ?? m);
}

/** Input of {@link verifyV3}. */
export interface VerifyV3Input {
  clientSecret: string;
  method: string;
  /** Full URL HubSpot requested (configured public base URL + original URL), not yet decoded. */
  uri: string;
  rawBody: Buffer;
  /** `X-HubSpot-Signature-v3` as received. */
  signature: string | undefined;
  /** `X-HubSpot-Request-Timestamp` as received (epoch milliseconds). */
  timestamp: string | undefined;
  /** Current time in epoch ms (injected clock). */
  now: number;
  /** Allowed distance from `now`, both ways (default 5 minutes). */
  windowMs?: number;
}

/**
 * Checks a v3 signature over the URI as received or, failing that, over its decoded form. Both forms
 * need the client secret, so accepting either lets no unsigned request through; it only stops a
 * correct signature from failing on which form the signer used.
 * Timestamps more than the window in the past *or the future* are refused (the docs only require the
 * former; refusing future stamps is our hardening), as are non-numeric ones.
 * @returns `{ ok: true, version: 'v3' }` or the reason it failed
 */
export function verifyV3(input: VerifyV3Input): SignatureCheck {
  const { clientSecret, method, uri, rawBody, signature, timestamp, now, windowMs = SIGNATURE_WINDOW_MS } = input;
  if (!signature || timestamp === undefined || timestamp === '') return { ok: false, reason: 'missing_header', version: 'v3' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'invalid_timestamp', version: 'v3' };
  const age = now - Number(timestamp);
  if (age > windowMs) return { ok: false, reason: 'stale_timestamp', version: 'v3' };
  if (age < -windowMs) return { ok: false, reason: 'future_timestamp', version: 'v3' };
  // Some proxies turn '+' into ' ' in header values.
  const received = signature.replace(/ /g, '+');
  const v3Of = (form: string) =>
    crypto.createHmac('sha256', clientSecret).update(method.toUpperCase() + form, 'utf8').update(rawBody).update(timestamp, 'utf8').digest('base64');
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-3
  const decoded = normaliseV3Uri(uri);
  const matches = sameString(v3Of(uri), received) || (decoded !== uri && sameString(v3Of(decoded), received));
  return matches ? { ok: true, version: 'v3' } : { ok: false, reason: 'mismatch', version: 'v3' };
}

/** Input of {@link verifyV2}. */
export interface VerifyV2Input {
  clientSecret: string;
  method: string;
  /** Full URL exactly as sent (v2 applies no decoding). */
  uri: string;
  /** Raw body; empty for GET. */
  rawBody: Buffer;
  /** `X-HubSpot-Signature` as received. */
  signature: string | undefined;
}

/**
 * Checks a v2 signature (no timestamp, so no replay window: HubSpot's v2 has none).
 * @returns `{ ok: true, version: 'v2' }` or the reason it failed
 */
export function verifyV2(input: VerifyV2Input): SignatureCheck {
  if (!input.signature) return { ok: false, reason: 'missing_header', version: 'v2' };
  const expected = crypto
    .createHash('sha256')
    .update(input.clientSecret + input.method.toUpperCase() + input.uri, 'utf8')
    .update(input.rawBody)
    .digest('hex');
  return sameString(expected, input.signature.toLowerCase()) ? { ok: true, version: 'v2' } : { ok: false, reason: 'mismatch', version: 'v2' };
}

/** Input of {@link verifyV1}. */
export interface VerifyV1Input {
  clientSecret: string;
  rawBody: Buffer;
  /** `X-HubSpot-Signature` as received. */
  signature: string | undefined;
}

/**
 * Checks a v1 signature (covers only the body: no method, URI or timestamp, hence off by default).
 * @returns `{ ok: true, version: 'v1' }` or the reason it failed
 */
export function verifyV1(input: VerifyV1Input): SignatureCheck {
  if (!input.signature) return { ok: false, reason: 'missing_header', version: 'v1' };
  const expected = crypto.createHash('sha256').update(input.clientSecret, 'utf8').update(input.rawBody).digest('hex');
  return sameString(expected, input.signature.toLowerCase()) ? { ok: true, version: 'v1' } : { ok: false, reason: 'mismatch', version: 'v1' };
}

/** A request as the signature check sees it (header names lower-case, as Node gives them). */
export interface SignedRequest {
  method: string;
  uri: string;
  rawBody: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Which older version a route accepts when the v3 headers are absent. */
export type SignatureFallback = 'v2' | 'v1' | 'none';

/**
 * Picks the version to check: v3 whenever `X-HubSpot-Signature-v3` is present
 * (a failing v3 is final, never retried as v1/v2, or an attacker could strip it); otherwise the
 * version named by `X-HubSpot-Signature-Version`, accepted only if it is the route's fallback.
 * @param req method, URI, raw body and headers
 * @param opts client secret, clock reading and the route's fallback
 * @returns the check's outcome
 */
export function verifyHubSpotRequest(req: SignedRequest, opts: { clientSecret: string; now: number; fallback: SignatureFallback }): SignatureCheck {
  const v3 = header(req.headers, 'x-hubspot-signature-v3');
  if (v3 !== undefined) {
    return verifyV3({
      clientSecret: opts.clientSecret,
      method: req.method,
      uri: req.uri,
      rawBody: req.rawBody,
      signature: v3,
      timestamp: header(req.headers, 'x-hubspot-request-timestamp'),
      now: opts.now,
    });
  }
  const signature = header(req.headers, 'x-hubspot-signature');
  const version = header(req.headers, 'x-hubspot-signature-version')?.toLowerCase();
  if (!signature || !version) return { ok: false, reason: 'missing_header' };
  if (version !== opts.fallback) return { ok: false, reason: 'version_not_allowed' };
  if (version === 'v2') return verifyV2({ clientSecret: opts.clientSecret, method: req.method, uri: req.uri, rawBody: req.rawBody, signature });
  return verifyV1({ clientSecret: opts.clientSecret, rawBody: req.rawBody, signature });
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// timingSafeEqual throws on unequal lengths, so lengths are compared first (that leaks only the length,
// which is public: 44 base64 or 64 hex characters).
function sameString(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
