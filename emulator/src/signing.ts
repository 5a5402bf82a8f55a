// HubSpot request signing, written from HubSpot's docs (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation), independent of backend/:
// if both sides shared code, a shared misreading of the docs would pass every test.
import crypto from 'node:crypto';

/** A signature version HubSpot puts on outgoing requests. */
export type SignatureVersion = 'v1' | 'v2' | 'v3';

// Only these escapes are decoded before v3 hashing; every other escape (%20, %26, %3D, %2B…) stays.
const V3_DECODE: Record<string, string> = {
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
};

/**
 * Applies HubSpot's v3 URI decode table (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation); hex is matched case-insensitively.
 * @param uri the full URL as requested
 * @returns the URL as HubSpot hashes it for v3
 */
export function normaliseV3Uri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODE[m.toUpperCase()] ?? m);
}

/**
 * v1: plain SHA-256 (not HMAC) of client secret + raw body, lowercase hex.
 * @param clientSecret the app's client secret
 * @param body the exact body bytes sent
 * @returns 64 hex characters
 */
export function signV1(clientSecret: string, body: string | Buffer): string {
  return crypto.createHash('sha256').update(clientSecret, 'utf8').update(body).digest('hex');
}

/**
 * v2: SHA-256 of client secret + METHOD + URI (exactly as sent) + raw body, lowercase hex.
 * @param clientSecret the app's client secret
 * @param method HTTP method, upper-cased here
 * @param uri full URL as sent (scheme, host, path, query)
 * @param body the exact body bytes; `""` for GET
 * @returns 64 hex characters
 */
export function signV2(clientSecret: string, method: string, uri: string, body: string | Buffer): string {
  return crypto
    .createHash('sha256')
    .update(clientSecret + method.toUpperCase() + uri, 'utf8')
    .update(body)
    .digest('hex');
}

/**
 * v3: base64 HMAC-SHA256 keyed with the client secret over METHOD + decoded URI + raw body + timestamp.
 * @param clientSecret the app's client secret
 * @param method HTTP method, upper-cased here
 * @param uri full URL as sent; HubSpot's v3 URI decoding is applied here
 * @param body the exact body bytes
 * @param timestamp the `X-HubSpot-Request-Timestamp` value (epoch ms), exactly as sent
 * @returns 44 base64 characters
 */
export function signV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: string | Buffer,
  timestamp: string | number,
): string {
  return crypto
    .createHmac('sha256', clientSecret)
    .update(method.toUpperCase() + normaliseV3Uri(uri), 'utf8')
    .update(body)
    .update(String(timestamp), 'utf8')
    .digest('base64');
}

/** Input of {@link signedHeaders}. */
export interface SignedHeadersInput {
  method: string;
  /** The exact URL the request goes to. */
  url: string;
  /** The exact body bytes sent (`""` when there is none). */
  body: string | Buffer;
  clientSecret: string;
  /** Epoch ms; becomes `X-HubSpot-Request-Timestamp`. */
  timestamp: number;
  /** Which signatures to add. v1 and v2 share `X-HubSpot-Signature`, so at most one of them. */
  versions: SignatureVersion[];
}

/**
 * Builds HubSpot's signature headers for one request.
 * @param input method, URL, body, secret, timestamp and versions
 * @returns header name → value (`X-HubSpot-Signature`, `-Version`, `-v3`, `X-HubSpot-Request-Timestamp`)
 * @throws Error when both v1 and v2 are asked for (they would share one header)
 */
export function signedHeaders(input: SignedHeadersInput): Record<string, string> {
  const { method, url, body, clientSecret, timestamp, versions } = input;
  if (versions.includes('v1') && versions.includes('v2')) {
    throw new Error('v1 and v2 both use X-HubSpot-Signature; pick one');
  }
  const headers: Record<string, string> = {};
  if (versions.includes('v1')) {
    headers['X-HubSpot-Signature'] = signV1(clientSecret, body);
    headers['X-HubSpot-Signature-Version'] = 'v1';
  }
  if (versions.includes('v2')) {
    headers['X-HubSpot-Signature'] = signV2(clientSecret, method, url, body);
    headers['X-HubSpot-Signature-Version'] = 'v2';
  }
  if (versions.includes('v3')) {
    headers['X-HubSpot-Signature-v3'] = signV3(clientSecret, method, url, body, timestamp);
    headers['X-HubSpot-Request-Timestamp'] = String(timestamp);
  }
  return headers;
}
